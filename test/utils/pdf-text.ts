import { execFile } from 'node:child_process';

/**
 * The text of a PDF, page by page, as pdfjs-dist reads it. pdfjs is an ES module and Jest runs
 * CommonJS here, so it runs in a child Node process (its legacy build, the one meant for Node).
 */
const SCRIPT = `
const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const pdf = await getDocument({ data: new Uint8Array(Buffer.concat(chunks)), useSystemFonts: false, verbosity: 0 }).promise;
const pages = [];
for (let n = 1; n <= pdf.numPages; n++) {
  const content = await (await pdf.getPage(n)).getTextContent();
  let text = '';
  for (const item of content.items) text += ('str' in item ? item.str : '') + (item.hasEOL ? '\\n' : '');
  pages.push(text);
}
process.stdout.write(JSON.stringify({ pages }));
`;

export function pdfText(pdf: Buffer): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['--input-type=module', '-e', SCRIPT],
      { cwd: __dirname, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`pdfjs could not read the PDF: ${stderr || error.message}`));
        else resolve((JSON.parse(stdout) as { pages: string[] }).pages);
      },
    );
    child.stdin!.end(pdf);
  });
}

/**
 * Page `page` (1-based) of a PDF as a PNG, drawn by pdfjs on its Node canvas (@napi-rs/canvas, which
 * pdfjs-dist brings): what a reader of the file sees, for the screenshots in docs/.
 */
const RENDER = `
const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const pdf = await getDocument({ data: new Uint8Array(Buffer.concat(chunks)), verbosity: 0 }).promise;
const page = await pdf.getPage(Number(process.argv[1]));
const viewport = page.getViewport({ scale: Number(process.argv[2]) });
const canvasAndContext = pdf.canvasFactory.create(viewport.width, viewport.height);
canvasAndContext.context.fillStyle = '#ffffff';
canvasAndContext.context.fillRect(0, 0, viewport.width, viewport.height);
await page.render({ canvasContext: canvasAndContext.context, canvas: canvasAndContext.canvas, viewport }).promise;
process.stdout.write(canvasAndContext.canvas.toBuffer('image/png'));
`;

export function pdfPageImage(pdf: Buffer, page = 1, scale = 1.5): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['--input-type=module', '-e', RENDER, String(page), String(scale)],
      { cwd: __dirname, maxBuffer: 64 * 1024 * 1024, encoding: 'buffer' },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`pdfjs could not draw the PDF: ${stderr.toString() || error.message}`));
        else resolve(stdout);
      },
    );
    child.stdin!.end(pdf);
  });
}
