import PostalMime from "postal-mime";
import { SMTPServer } from "smtp-server";

/** A real SMTP server on loopback that keeps what it receives, and can be told to refuse. */
export async function startSmtp() {
  const received: Awaited<ReturnType<typeof PostalMime.parse>>[] = [];
  let refuse = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      if (refuse > 0) {
        refuse--;
        stream.resume();
        stream.on("end", () => callback(Object.assign(new Error("451 try again later"), { responseCode: 451 })));
        return;
      }
      const chunks: Uint8Array[] = [];
      stream.on("data", (c: Buffer) => chunks.push(new Uint8Array(c)));
      stream.on("end", () => {
        PostalMime.parse(Buffer.concat(chunks)).then(
          (mail) => {
            received.push(mail);
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    refuseNext(n: number) {
      refuse = n;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
