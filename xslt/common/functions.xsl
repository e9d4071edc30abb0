<?xml version="1.0" encoding="UTF-8"?>
<!--
  Functions shared by the HTML and print stylesheets: pointers into the registers, names, dates and
  safe links. Registers are reached through the document's own pointers ("persons.xml#stalin" is a
  URI relative to the document), so the transformation needs the document's base URI, nothing else.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition.example/ns"
    exclude-result-prefixes="#all">

  <xsl:import href="behaviour.xsl"/>
  <xsl:import href="messages.xsl"/>

  <xsl:variable name="ed:months" as="xs:string*" select="('January', 'February', 'March', 'April', 'May', 'June',
      'July', 'August', 'September', 'October', 'November', 'December')"/>

  <!-- "persons.xml#stalin" -> "stalin"; "#ed" -> "ed" -->
  <xsl:function name="ed:id" as="xs:string">
    <xsl:param name="pointer" as="xs:string?"/>
    <xsl:sequence select="if (contains($pointer, '#')) then replace($pointer, '^.*#', '') else string($pointer)"/>
  </xsl:function>

  <!-- "1941-12-18" -> "18 December 1941"; "1941-12" -> "December 1941"; anything else unchanged. -->
  <xsl:function name="ed:format-date" as="xs:string">
    <xsl:param name="iso" as="xs:string?"/>
    <xsl:variable name="parts" select="tokenize(string($iso), '-')"/>
    <xsl:sequence select="
        if (matches(string($iso), '^\d{4}-\d{2}-\d{2}$') and xs:integer($parts[2]) = 1 to 12)
          then concat(xs:integer($parts[3]), ' ', $ed:months[xs:integer($parts[2])], ' ', $parts[1])
        else if (matches(string($iso), '^\d{4}-\d{2}$') and xs:integer($parts[2]) = 1 to 12)
          then concat($ed:months[xs:integer($parts[2])], ' ', $parts[1])
        else string($iso)"/>
  </xsl:function>

  <!-- A link target from a document is kept only when it is http(s), mailto, or relative; anything
       else (javascript:, data:, vbscript:, file: ...) gives the empty sequence. -->
  <xsl:function name="ed:safe-url" as="xs:string?">
    <xsl:param name="url" as="xs:string?"/>
    <xsl:variable name="u" select="normalize-space(replace(string($url), '[\p{Cc}]', ''))"/>
    <xsl:sequence select="
        if ($u = '') then ()
        else if (matches($u, '^(https?|mailto):', 'i')) then $u
        else if (matches($u, '^[a-zA-Z][a-zA-Z0-9+.\-]*:')) then ()
        else $u"/>
  </xsl:function>
</xsl:stylesheet>
