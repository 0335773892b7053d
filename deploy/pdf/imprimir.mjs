// deploy/pdf/imprimir.mjs HTML PDF -- prints a report of pmm (the Informe
// Ejecutivo or the Compendio General, `pmm informe|compendio --formato
// html`) to an A4 PDF for publication, with Debian's Chromium driven by
// puppeteer-core: page numbers ("Página N de M") and the document's title
// in the page margins (Chromium's print of a page does not draw CSS @page
// margin boxes, so the numbers come from its own header and footer).
//
//   (cd deploy/pdf && npm ci)        # once; deploy/test.sh does it
//   node deploy/pdf/imprimir.mjs informe-2022.html informe-2022.pdf
//
// Environment: PMM_CHROMIUM (default /usr/bin/chromium). No network: the
// page is a self-contained file and every request to elsewhere is refused.
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import puppeteer from 'puppeteer-core';

const [, , entrada, salida] = process.argv;
if (!entrada || !salida || entrada === '--help' || entrada === '-h') {
  const uso = 'Uso: node deploy/pdf/imprimir.mjs INFORME.html INFORME.pdf\n\n' +
    'Imprime en PDF (A4, con número de página) un informe HTML de pmm.\n' +
    'Ejemplo:\n  pmm informe --ejercicio 2022 -o informe-2022.html\n' +
    '  node deploy/pdf/imprimir.mjs informe-2022.html informe-2022.pdf\n';
  (entrada === '--help' || entrada === '-h' ? process.stdout : process.stderr).write(uso);
  process.exit(entrada === '--help' || entrada === '-h' ? 0 : 2);
}

function escapar(s) {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

let html;
try {
  html = await readFile(entrada, 'utf8');
} catch (e) {
  process.stderr.write(`imprimir: no se puede leer ${entrada}: ${e.code || e.message}\n`);
  process.exit(2);
}
const m = html.match(/<title>([^<]*)<\/title>/);
// the title's first part: "Informe Ejecutivo 2022"
const titulo = m ? m[1].split(' — ')[0] : '';

const chromium = process.env.PMM_CHROMIUM || '/usr/bin/chromium';
let navegador;
try {
  navegador = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
} catch (e) {
  process.stderr.write(`imprimir: no se pudo iniciar Chromium (${chromium}): ${e.message}\n`);
  process.exit(1);
}
try {
  const pagina = await navegador.newPage();
  await pagina.setRequestInterception(true);
  pagina.on('request', (r) => (r.url().startsWith('file:') || r.url().startsWith('data:') ? r.continue() : r.abort()));
  await pagina.goto(pathToFileURL(path.resolve(entrada)).href, { waitUntil: 'load' });
  const estilo = 'font-family:"Noto Sans","DejaVu Sans",sans-serif;font-size:8px;color:#52606d;' +
    'width:100%;margin:0 15mm;display:flex;justify-content:space-between';
  await pagina.pdf({
    path: salida,
    format: 'A4',
    printBackground: true,
    displayHeaderFooter: true,
    headerTemplate: `<div style='${estilo}'><span>${escapar(titulo)}</span></div>`,
    footerTemplate: `<div style='${estilo}'><span>${escapar(titulo)}</span>` +
      '<span>Página <span class="pageNumber"></span> de <span class="totalPages"></span></span></div>',
    margin: { top: '16mm', bottom: '18mm', left: '15mm', right: '15mm' },
  });
  process.stdout.write(`${salida}\n`);
} catch (e) {
  process.stderr.write(`imprimir: no se pudo imprimir ${entrada}: ${e.message}\n`);
  process.exitCode = 1;
} finally {
  await navegador.close();
}
