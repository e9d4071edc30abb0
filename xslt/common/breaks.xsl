<?xml version="1.0" encoding="UTF-8"?>
<!--
  What a break of the source is called, decided once for the web and the print edition:
    <pb n="116"/> in a manuscript (msDesc) or @type="folio"|"leaf"   "L. 116"
    <pb n="12"/> otherwise, or @type="page"                          "p. 12"
    <pb/> without a number                                           "p. [2]": the source's second page,
                                                                     counted by the editors (bracketed)
    <cb n="2"/>, <milestone unit="section" n="3"/>                   "col. 2", "section 3"
  The HTML marker (html/core.xsl) and the print folio (print/transcr.xsl) show this label; what else a
  marker links to (a facsimile) is added by those templates.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition.example/ns"
    exclude-result-prefixes="#all">

  <xsl:function name="ed:break-unit" as="xs:string">
    <xsl:param name="break" as="element()"/>
    <xsl:sequence select="
        if ($break/self::tei:pb) then
          (if ($break/@type = 'page') then 'p.'
           else if ($break/@type = ('folio', 'leaf') or root($break)//tei:sourceDesc/tei:msDesc) then 'L.' else 'p.')
        else if ($break/self::tei:cb) then 'col.'
        else normalize-space(($break/@unit, 'section')[1])"/>
  </xsl:function>

  <xsl:function name="ed:break-label" as="xs:string">
    <xsl:param name="break" as="element()"/>
    <xsl:variable name="n" select="normalize-space($break/@n)"/>
    <xsl:sequence select="
        if ($n) then ed:break-unit($break) || ' ' || $n
        else if ($break/self::tei:pb) then
          'p. [' || count($break/preceding::tei:pb[ancestor::tei:text]) + 2 || ']'
        else if ($break/self::tei:cb) then 'column break' else 'break'"/>
  </xsl:function>

  <!-- Said in full, for a screen reader and a tooltip: "page 2 of the source begins". -->
  <xsl:function name="ed:break-description" as="xs:string">
    <xsl:param name="break" as="element()"/>
    <xsl:variable name="label" select="ed:break-label($break)"/>
    <xsl:sequence select="
        if ($break/self::tei:pb and not(normalize-space($break/@n)))
          then 'page ' || replace($label, '\D', '') || ' of the source begins here (the number is counted by the editors)'
        else replace(replace($label, '^L\. ', 'folio '), '^p\. ', 'page ') || ' of the source begins here'"/>
  </xsl:function>
</xsl:stylesheet>
