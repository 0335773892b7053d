/* docx_partes.h -- the fixed parts of a .docx the writer emits (styles,
 * settings, footer, content types, relationships), internal to docx.c. */
#ifndef PMM_DOCX_PARTES_H
#define PMM_DOCX_PARTES_H

#define DOCX_NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define DOCX_NS_R "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define DOCX_REL_PKG "http://schemas.openxmlformats.org/package/2006/relationships"

#define DOCX_XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

/* [Content_Types].xml */
#define DOCX_CONTENT_TYPES                                                              \
    DOCX_XML_DECL                                                                      \
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"  \
    "<Default Extension=\"rels\" "                                                     \
    "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"       \
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"                     \
    "<Default Extension=\"png\" ContentType=\"image/png\"/>"                           \
    "<Override PartName=\"/word/document.xml\" ContentType=\"application/"             \
    "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"         \
    "<Override PartName=\"/word/styles.xml\" ContentType=\"application/"               \
    "vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"                \
    "<Override PartName=\"/word/settings.xml\" ContentType=\"application/"             \
    "vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>"              \
    "<Override PartName=\"/word/footer1.xml\" ContentType=\"application/"              \
    "vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>"                \
    "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/"             \
    "vnd.openxmlformats-package.core-properties+xml\"/>"                               \
    "</Types>"

/* _rels/.rels */
#define DOCX_RELS                                                                      \
    DOCX_XML_DECL "<Relationships xmlns=\"" DOCX_REL_PKG "\">"                         \
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/"              \
    "officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>" \
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/"      \
    "2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"     \
    "</Relationships>"

/* docProps/core.xml: the title goes in between */
#define DOCX_CORE_INICIO                                                               \
    DOCX_XML_DECL                                                                      \
    "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/"    \
    "metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"        \
    "<dc:language>es-MX</dc:language><dc:title>"
#define DOCX_CORE_FIN "</dc:title></cp:coreProperties>"

/* word/settings.xml */
#define DOCX_SETTINGS                                                                  \
    DOCX_XML_DECL "<w:settings xmlns:w=\"" DOCX_NS_W "\">"                             \
    "<w:defaultTabStop w:val=\"708\"/>"                                                \
    "<w:characterSpacingControl w:val=\"doNotCompress\"/>"                             \
    "<w:compat><w:compatSetting w:name=\"compatibilityMode\" "                         \
    "w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>"     \
    "<w:themeFontLang w:val=\"es-MX\"/>"                                               \
    "</w:settings>"

/* word/footer1.xml: "Página N de M", centred */
#define DOCX_FOOTER                                                                    \
    DOCX_XML_DECL "<w:ftr xmlns:w=\"" DOCX_NS_W "\" xmlns:r=\"" DOCX_NS_R "\">"        \
    "<w:p><w:pPr><w:pStyle w:val=\"Footer\"/><w:jc w:val=\"center\"/></w:pPr>"         \
    "<w:r><w:t xml:space=\"preserve\">Página </w:t></w:r>"                             \
    "<w:fldSimple w:instr=\" PAGE \"><w:r><w:t>1</w:t></w:r></w:fldSimple>"            \
    "<w:r><w:t xml:space=\"preserve\"> de </w:t></w:r>"                                \
    "<w:fldSimple w:instr=\" NUMPAGES \"><w:r><w:t>1</w:t></w:r></w:fldSimple>"        \
    "</w:p></w:ftr>"

#define DOCX_STYLE_P(id, name, extra)                                                  \
    "<w:style w:type=\"paragraph\" w:styleId=\"" id "\"><w:name w:val=\"" name "\"/>" \
    extra "</w:style>"

/* word/styles.xml: Arial (Liberation Sans where Arial is missing), 11 pt,
 * es-MX; headings carry outline levels so a table of contents finds them. */
#define DOCX_STYLES                                                                    \
    DOCX_XML_DECL "<w:styles xmlns:w=\"" DOCX_NS_W "\">"                               \
    "<w:docDefaults><w:rPrDefault><w:rPr>"                                             \
    "<w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\" w:eastAsia=\"Arial\" w:cs=\"Arial\"/>" \
    "<w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/>"                                       \
    "<w:lang w:val=\"es-MX\" w:eastAsia=\"es-MX\" w:bidi=\"ar-SA\"/>"                  \
    "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"                                     \
    "<w:spacing w:after=\"120\" w:line=\"264\" w:lineRule=\"auto\"/>"                  \
    "</w:pPr></w:pPrDefault></w:docDefaults>"                                          \
    "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">"              \
    "<w:name w:val=\"Normal\"/><w:qFormat/></w:style>"                                 \
    DOCX_STYLE_P("Title", "Title",                                                     \
                 "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>" \
                 "<w:pPr><w:jc w:val=\"center\"/><w:spacing w:after=\"240\"/></w:pPr>" \
                 "<w:rPr><w:b/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/></w:rPr>")    \
    DOCX_STYLE_P("Heading1", "heading 1",                                              \
                 "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>" \
                 "<w:pPr><w:keepNext/><w:spacing w:before=\"360\" w:after=\"120\"/>"  \
                 "<w:outlineLvl w:val=\"0\"/></w:pPr>"                                 \
                 "<w:rPr><w:b/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr>")    \
    DOCX_STYLE_P("Heading2", "heading 2",                                              \
                 "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>" \
                 "<w:pPr><w:keepNext/><w:spacing w:before=\"240\" w:after=\"120\"/>"  \
                 "<w:outlineLvl w:val=\"1\"/></w:pPr>"                                 \
                 "<w:rPr><w:b/><w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/></w:rPr>")    \
    DOCX_STYLE_P("Heading3", "heading 3",                                              \
                 "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>" \
                 "<w:pPr><w:keepNext/><w:spacing w:before=\"200\" w:after=\"80\"/>"   \
                 "<w:outlineLvl w:val=\"2\"/></w:pPr>"                                 \
                 "<w:rPr><w:b/><w:i/><w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/></w:rPr>") \
    DOCX_STYLE_P("Caption", "caption",                                                 \
                 "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>" \
                 "<w:pPr><w:spacing w:before=\"60\" w:after=\"200\"/></w:pPr>"         \
                 "<w:rPr><w:i/><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/></w:rPr>")    \
    DOCX_STYLE_P("Ayuda", "Ayuda",                                                     \
                 "<w:basedOn w:val=\"Normal\"/><w:qFormat/>"                           \
                 "<w:pPr><w:spacing w:before=\"40\" w:after=\"0\"/></w:pPr>"           \
                 "<w:rPr><w:i/><w:color w:val=\"595959\"/><w:sz w:val=\"16\"/>"        \
                 "<w:szCs w:val=\"16\"/></w:rPr>")                                     \
    DOCX_STYLE_P("Footer", "footer",                                                   \
                 "<w:basedOn w:val=\"Normal\"/>"                                       \
                 "<w:rPr><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/></w:rPr>")          \
    "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\">"             \
    "<w:name w:val=\"Normal Table\"/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/>"    \
    "<w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/>" \
    "<w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/>"        \
    "</w:tblCellMar></w:tblPr></w:style>"                                              \
    "<w:style w:type=\"table\" w:styleId=\"TablaPMM\"><w:name w:val=\"Tabla PMM\"/>"   \
    "<w:basedOn w:val=\"TableNormal\"/><w:pPr><w:spacing w:after=\"40\"/></w:pPr>"     \
    "<w:rPr><w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/></w:rPr><w:tblPr><w:tblBorders>" \
    "<w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/>"            \
    "<w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/>"           \
    "<w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/>"         \
    "<w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/>"          \
    "<w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/>"        \
    "<w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/>"        \
    "</w:tblBorders><w:tblCellMar><w:top w:w=\"57\" w:type=\"dxa\"/>"                  \
    "<w:left w:w=\"85\" w:type=\"dxa\"/><w:bottom w:w=\"57\" w:type=\"dxa\"/>"         \
    "<w:right w:w=\"85\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>"          \
    "</w:styles>"

#endif
