/* ooxml_xml.h -- the XML parts of a package, parsed by libxml2 safely.
 *
 * Parsing never touches the network (XML_PARSE_NONET), never substitutes
 * entities (no XML_PARSE_NOENT) nor loads a DTD (no XML_PARSE_DTDLOAD),
 * keeps libxml2's size limits (no XML_PARSE_HUGE) and refuses any part that
 * declares a DOCTYPE: OOXML and OpenDocument never use one, so a DOCTYPE
 * can only be an attack (entity expansion, external entities). libxml2's
 * English messages are never shown: errors are mapped to Spanish (rules
 * `xml`, `doctype`, `utf8`), naming the part, line and column.
 */
#ifndef PMM_OOXML_XML_H
#define PMM_OOXML_XML_H

#include <libxml/tree.h>
#include <libxml/xmlreader.h>

#include "error.h"
#include "ooxml_zip.h"

/* The part as a tree (for parts of bounded size: documents, relations).
 * Free with xmlFreeDoc. NULL with err. */
xmlDocPtr ooxml_xml_doc(ooxml_zip *z, const char *entrada, pmm_error *err);
/* The same from bytes in memory; `entrada` names them in messages. */
xmlDocPtr ooxml_xml_doc_memoria(const char *buf, size_t len, const char *entrada,
                                pmm_error *err);

/* A part read as a stream of nodes (worksheets of any length). */
typedef struct ooxml_lector ooxml_lector;
ooxml_lector *ooxml_lector_abrir(ooxml_zip *z, const char *entrada, pmm_error *err);
/* 1: the reader is on the next node; 0: end of the part; -1: err. */
int ooxml_lector_siguiente(ooxml_lector *l, pmm_error *err);
xmlTextReaderPtr ooxml_lector_xml(ooxml_lector *l);
void ooxml_lector_cerrar(ooxml_lector **l_p);

/* True when node n is the element `local` of one of the namespaces in
 * ns[] (NULL-terminated). */
int ooxml_es(const xmlNode *n, const char *const *ns, const char *local);
/* The attribute `local` of n in namespace ns (NULL: no namespace), or
 * NULL. The result is a libxml2 string: free with xmlFree. */
char *ooxml_atributo(const xmlNode *n, const char *ns, const char *local);

#endif
