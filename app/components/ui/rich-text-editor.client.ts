import "~/components/every-page";
import { Editor } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";

interface Options {
  element: HTMLElement;
  field: HTMLTextAreaElement;
  labelledBy: string;
  describedBy?: string;
  labels: Record<"bold" | "italic" | "bulletList" | "orderedList" | "link" | "linkPrompt" | "toolbar", string>;
}

const LINK_ICON = "link";

/** A chain-link icon drawn as SVG: a font glyph (⧉) shows as an empty box with common fonts. */
function linkIcon(): SVGSVGElement {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", "16");
  svg.setAttribute("height", "16");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("fill", "currentColor");
  path.setAttribute("d", "M10.6 13.4a1 1 0 0 1 0-1.4l3-3a1 1 0 1 1 1.4 1.4l-3 3a1 1 0 0 1-1.4 0zM8.5 18.5a3.5 3.5 0 0 1-2.5-6l2.1-2.1 1.4 1.4-2.1 2.1a1.5 1.5 0 0 0 2.1 2.1l2.1-2.1 1.4 1.4-2.1 2.1a3.5 3.5 0 0 1-2.4 1.1zm7.4-4.9-1.4-1.4 2.1-2.1a1.5 1.5 0 0 0-2.1-2.1l-2.1 2.1L11 8.7l2.1-2.1a3.5 3.5 0 1 1 5 5z");
  svg.append(path);
  return svg;
}

/** Mounts a small tiptap editor that keeps the form's textarea filled with its HTML. */
export function createRichTextEditor({ element, field, labelledBy, describedBy, labels }: Options): () => void {
  const toolbar = document.createElement("div");
  toolbar.className = "rich-text__toolbar";
  toolbar.setAttribute("role", "toolbar");
  toolbar.setAttribute("aria-label", labels.toolbar);
  const body = document.createElement("div");
  element.append(toolbar, body);

  const editor = new Editor({
    element: body,
    extensions: [
      StarterKit.configure({
        heading: { levels: [3, 4] },
        codeBlock: false,
        horizontalRule: false,
        link: { openOnClick: false, autolink: true, protocols: ["http", "https", "mailto"], HTMLAttributes: { rel: "noopener noreferrer nofollow" } },
      }),
    ],
    content: field.value,
    editorProps: {
      attributes: {
        class: "rich-text__content input",
        role: "textbox",
        "aria-multiline": "true",
        "aria-labelledby": labelledBy,
        ...(describedBy ? { "aria-describedby": describedBy } : {}),
      },
    },
    onUpdate: ({ editor: e }) => {
      field.value = e.isEmpty ? "" : e.getHTML();
    },
  });

  const buttons: Array<{ label: string; text: string; run: () => void; active: () => boolean }> = [
    { label: labels.bold, text: "B", run: () => editor.chain().focus().toggleBold().run(), active: () => editor.isActive("bold") },
    { label: labels.italic, text: "I", run: () => editor.chain().focus().toggleItalic().run(), active: () => editor.isActive("italic") },
    { label: labels.bulletList, text: "•", run: () => editor.chain().focus().toggleBulletList().run(), active: () => editor.isActive("bulletList") },
    { label: labels.orderedList, text: "1.", run: () => editor.chain().focus().toggleOrderedList().run(), active: () => editor.isActive("orderedList") },
    {
      label: labels.link,
      text: LINK_ICON,
      run: () => {
        const previous = editor.getAttributes("link").href as string | undefined;
        const href = window.prompt(labels.linkPrompt, previous ?? "https://");
        if (href === null) return;
        if (href === "") editor.chain().focus().unsetLink().run();
        else editor.chain().focus().extendMarkRange("link").setLink({ href }).run();
      },
      active: () => editor.isActive("link"),
    },
  ];
  const elements = buttons.map((b, i) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "rich-text__button";
    // The name is the label in words; the glyph or icon is only what sighted people see.
    const face = document.createElement("span");
    face.setAttribute("aria-hidden", "true");
    if (b.text === LINK_ICON) face.append(linkIcon());
    else face.textContent = b.text;
    const name = document.createElement("span");
    name.className = "visually-hidden";
    name.textContent = b.label;
    button.append(face, name);
    button.title = b.label;
    // One Tab stop for the whole toolbar; arrow keys move within it (roving tabindex).
    button.tabIndex = i === 0 ? 0 : -1;
    button.addEventListener("click", b.run);
    toolbar.append(button);
    return button;
  });
  const focusButton = (index: number) => {
    const next = (index + elements.length) % elements.length;
    elements.forEach((el, i) => (el.tabIndex = i === next ? 0 : -1));
    elements[next].focus();
  };
  toolbar.addEventListener("keydown", (event) => {
    const current = elements.indexOf(document.activeElement as HTMLButtonElement);
    if (current < 0) return;
    const moves: Record<string, number> = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: elements.length - 1 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    focusButton(moves[event.key]);
  });
  const sync = () => elements.forEach((el, i) => el.setAttribute("aria-pressed", String(buttons[i].active())));
  editor.on("transaction", sync);
  sync();

  return () => {
    editor.destroy();
    element.replaceChildren();
  };
}
