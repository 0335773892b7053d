/* informe_html.c -- the frame of an HTML document (informe_html.h): one
 * self-contained page with its style sheet inline. */
#include "informe_html.h"

#include "informe.h"

static const char CSS[] =
    ":root{--tinta:#1f2933;--gris:#52606d;--linea:#d9dee4;--acento:#5c1f33;"
    "--fondo:#f5f6f8}\n"
    "*{box-sizing:border-box}\n"
    "html{-webkit-text-size-adjust:100%}\n"
    "body{margin:0;font-family:\"Source Sans 3\",\"Noto Sans\",\"Segoe UI\",\"Helvetica Neue\","
    "Arial,sans-serif;color:var(--tinta);background:#fff;font-size:16px;line-height:1.55}\n"
    "header.portada{background:var(--acento);color:#fff;padding:2.4rem 0 2rem}\n"
    "header.portada .marco,main,footer{max-width:62rem;margin:0 auto;padding:0 2rem}\n"
    "header.portada .dependencia{font-size:.8rem;letter-spacing:.12em;text-transform:uppercase;"
    "opacity:.85;margin:0}\n"
    "header.portada h1{font-size:2rem;line-height:1.2;font-weight:600;margin:.5rem 0 .7rem}\n"
    "header.portada h1 span{display:block;font-size:1.15rem;font-weight:400;margin-top:.4rem}\n"
    "header.portada .datos{font-size:.95rem;margin:0;opacity:.92}\n"
    "nav.indice{background:var(--fondo);border:1px solid var(--linea);padding:1rem 1.5rem;"
    "margin:2rem 0 1rem}\n"
    "nav.indice h2{border:0;margin:0 0 .4rem;font-size:1.1rem;color:var(--tinta)}\n"
    "nav.indice ol{margin:0;padding-left:1.4rem;columns:2;column-gap:2.5rem}\n"
    "nav.indice a{color:var(--tinta);text-decoration:none}\n"
    "nav.indice a:hover{text-decoration:underline}\n"
    "h2{font-size:1.45rem;color:var(--acento);border-bottom:2px solid var(--acento);"
    "padding-bottom:.3rem;margin:2.6rem 0 1rem}\n"
    "h3{font-size:1.12rem;margin:1.8rem 0 .5rem}\n"
    "h4{font-size:1rem;margin:1.2rem 0 .3rem}\n"
    "h4 .n{font-weight:400;color:var(--gris)}\n"
    "p{margin:.5rem 0 .9rem}\n"
    "table{border-collapse:collapse;width:100%;margin:.8rem 0 .4rem;font-size:.9rem}\n"
    "caption{caption-side:top;text-align:left;font-weight:600;padding:.3rem 0 .5rem}\n"
    "th{text-align:left;vertical-align:bottom;background:var(--fondo);"
    "border-bottom:2px solid #9aa5b1;padding:.4rem .55rem;font-weight:600}\n"
    "td{border-bottom:1px solid var(--linea);padding:.32rem .55rem;vertical-align:top}\n"
    "th.num,td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
    "td.num{white-space:nowrap}\n"
    "tbody tr:last-child td{border-bottom:1px solid #9aa5b1}\n"
    "tr.total td{font-weight:600;border-top:2px solid #9aa5b1}\n"
    ".nota{font-size:.85rem;color:var(--gris);margin:.3rem 0 1.2rem}\n"
    "ul.cifras{list-style:none;padding:0;margin:1.2rem 0;display:grid;"
    "grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:.8rem}\n"
    "li.cifra{background:var(--fondo);border:1px solid var(--linea);"
    "border-top:4px solid var(--acento);padding:.7rem .9rem}\n"
    "li.cifra b{display:block;font-size:1.7rem;line-height:1.2;font-weight:600;"
    "font-variant-numeric:tabular-nums}\n"
    "li.cifra span{font-size:.88rem;color:var(--gris)}\n"
    "figure{margin:1.2rem 0 1.6rem}\n"
    "figcaption{font-size:.85rem;color:var(--gris);margin-top:.4rem}\n"
    "svg.grafica,svg.mapa{display:block;width:100%;height:auto;max-width:100%}\n"
    "svg text{font-family:inherit}\n"
    "svg .et{font-size:12px;fill:#1f2933}\n"
    "svg .val{font-size:12px;fill:#3e4c59;font-variant-numeric:tabular-nums}\n"
    "svg .eje{stroke:#9aa5b1;stroke-width:1}\n"
    "svg .ab{font-size:13px;font-weight:600}\n"
    "svg .nm{font-size:14px}\n"
    "svg .ley{font-size:13px;fill:#1f2933}\n"
    "svg rect.tesela{stroke:#7b8794;stroke-width:.6}\n"
    ".mapa-tabla{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);"
    "gap:1.5rem;align-items:start}\n"
    ".mapa-tabla table{font-size:.82rem}\n"
    "blockquote{margin:.4rem 0 .8rem;padding:.1rem 1rem;border-left:3px solid #9aa5b1;"
    "color:#323f4b;font-style:italic}\n"
    "dl.metodo dt{font-weight:600;margin-top:.7rem}\n"
    "dl.metodo dd{margin:.1rem 0 0}\n"
    "article.ficha{border-top:1px solid var(--linea);padding:.5rem 0 .3rem}\n"
    "article.ficha h4{margin:.2rem 0 .1rem;font-size:1.02rem}\n"
    "article.ficha p{margin:.1rem 0;font-size:.92rem;white-space:pre-line}\n"
    "article.ficha p b{font-weight:600;color:var(--gris)}\n"
    "article.ficha p.fid{font-size:.8rem;color:var(--gris);margin:0 0 .2rem}\n"
    "footer{color:var(--gris);font-size:.85rem;border-top:1px solid var(--linea);"
    "margin-top:3rem;padding-top:1rem;padding-bottom:2rem}\n"
    "@media (max-width:52rem){.mapa-tabla{grid-template-columns:1fr}"
    "nav.indice ol{columns:1}}\n"
    "@page{size:A4;margin:16mm 15mm 18mm}\n"
    "@media print{body{font-size:10pt;line-height:1.4}"
    "header.portada{background:none;color:var(--tinta);border-bottom:3px solid var(--acento);"
    "padding:0 0 5mm}"
    "header.portada .marco,main,footer{max-width:none;padding:0}"
    "main>section+section{break-before:page}"
    "nav.indice{margin:1rem 0 .5rem;padding:.6rem 1rem}"
    "h2,h3,h4,caption{break-after:avoid}"
    "h2+p,h3+p{break-before:avoid}"
    "figure,blockquote,ul.cifras,dl.metodo dd,tr,article.ficha p{break-inside:avoid}"
    "article.ficha h4,article.ficha p.fid{break-after:avoid}"
    "svg.grafica{max-height:195mm}"
    "article.ficha p{font-size:9pt}"
    "table{break-inside:auto}thead{display:table-header-group}"
    "a{color:inherit;text-decoration:none}"
    "svg,li.cifra{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    ".mapa-tabla{grid-template-columns:1fr 1fr}}\n";

void informe_html_inicio(strbuf *o, const char *titulo, const char *datos)
{
    strbuf_puts(o, "<!DOCTYPE html>\n<html lang=\"es\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<title>");
    informe_html_escape(o, titulo);
    strbuf_puts(o, "</title>\n<style>\n");
    strbuf_puts(o, CSS);
    strbuf_puts(o, "</style>\n</head>\n<body>\n<header class=\"portada\"><div class=\"marco\">\n"
                   "<p class=\"dependencia\">Secretaría de Gobernación · Unidad de Política "
                   "Migratoria, Registro e Identidad de Personas</p>\n<h1>");
    informe_html_escape(o, titulo);
    strbuf_puts(o, "</h1>\n<p class=\"datos\">");
    informe_html_escape(o, datos);
    strbuf_puts(o, "</p>\n</div></header>\n<main>\n");
}

void informe_html_fin(strbuf *o, const char *pie)
{
    strbuf_puts(o, "</main>\n<footer><p>");
    informe_html_escape(o, pie);
    strbuf_puts(o, "</p></footer>\n</body>\n</html>\n");
}
