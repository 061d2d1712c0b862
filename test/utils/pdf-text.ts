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
