import { Editor } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";

interface Options {
  element: HTMLElement;
  field: HTMLTextAreaElement;
  labelledBy: string;
  describedBy?: string;
  labels: Record<"bold" | "italic" | "bulletList" | "orderedList" | "link" | "linkPrompt" | "toolbar", string>;
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
      text: "⧉",
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
  const elements = buttons.map((b) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "rich-text__button";
    button.textContent = b.text;
    button.setAttribute("aria-label", b.label);
    button.title = b.label;
    button.addEventListener("click", b.run);
    toolbar.append(button);
    return button;
  });
  const sync = () => elements.forEach((el, i) => el.setAttribute("aria-pressed", String(buttons[i].active())));
  editor.on("transaction", sync);
  sync();

  return () => {
    editor.destroy();
    element.replaceChildren();
  };
}
