<?xml version="1.0" encoding="UTF-8"?>
<!--
  The behaviour of each TEI element, decided once for every output (as the TEI Stylesheets do):
    block      a paragraph-like or structural box (p, div, sp, list, opener, closer ...)
    inline     a phrase inside running text (persName, hi, q, said ...): the default
    note       a note, taken out of the running text (footnote, popover)
    alternate  a choice between readings, one shown, the other(s) on demand or in an apparatus
    break      a milestone with no content (pb, lb, cb, milestone)
    metadata   shown as metadata, never as running text (teiHeader, standOff)
    omit       processing data with nothing for a reader (facsimile, surface)
  The HTML and print stylesheets each render every behaviour; an element without a template of its own
  falls back to its behaviour, keeps its text, and is reported.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition.example/ns"
    exclude-result-prefixes="#all">

  <xsl:variable name="ed:behaviours" as="map(xs:string, xs:string)" select="map {
      'TEI': 'block', 'text': 'block', 'front': 'block', 'body': 'block', 'back': 'block', 'group': 'block',
      'div': 'block', 'div1': 'block', 'div2': 'block', 'div3': 'block', 'floatingText': 'block',
      'p': 'block', 'ab': 'block', 'head': 'block', 'sp': 'block', 'speaker': 'block', 'stage': 'block',
      'list': 'block', 'item': 'block', 'listBibl': 'block', 'bibl': 'inline', 'label': 'inline',
      'opener': 'block', 'closer': 'block', 'dateline': 'block', 'salute': 'block', 'signed': 'block',
      'byline': 'block', 'postscript': 'block', 'epigraph': 'block', 'argument': 'block', 'trailer': 'block',
      'lg': 'block', 'l': 'block', 'table': 'block', 'row': 'block', 'cell': 'block', 'figure': 'block',
      'quote': 'inline', 'cit': 'inline', 'docTitle': 'block', 'titlePage': 'block', 'titlePart': 'block',
      'castList': 'block', 'castItem': 'block', 'entry': 'block', 'u': 'block',
      'note': 'note',
      'choice': 'alternate', 'app': 'alternate', 'subst': 'alternate',
      'pb': 'break', 'lb': 'break', 'cb': 'break', 'milestone': 'break', 'gb': 'break',
      'teiHeader': 'metadata', 'standOff': 'metadata',
      'facsimile': 'omit', 'surface': 'omit', 'zone': 'omit', 'sourceDoc': 'omit'
    }"/>

  <xsl:function name="ed:behaviour" as="xs:string">
    <xsl:param name="element" as="element()"/>
    <xsl:sequence select="if (namespace-uri($element) ne 'http://www.tei-c.org/ns/1.0') then 'inline'
                          else ($ed:behaviours(local-name($element)), 'inline')[1]"/>
  </xsl:function>

  <xsl:function name="ed:is-block" as="xs:boolean">
    <xsl:param name="element" as="element()"/>
    <xsl:sequence select="ed:behaviour($element) = 'block'"/>
  </xsl:function>
</xsl:stylesheet>
