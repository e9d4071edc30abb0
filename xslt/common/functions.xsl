<?xml version="1.0" encoding="UTF-8"?>
<!--
  What the HTML and print stylesheets share: the behaviour of each element (behaviour.xsl), the
  diagnostics protocol (messages.xsl), register look-up and names (registers.xsl), the shown reading
  of a choice or app (readings.xsl), the parts of source citations (sources.xsl), and safe links (here).
  html/ and print/ only render what these decide. Dates are formatted once, in Python
  (edition/corpus.py: format_date), and reach both stylesheets as the parameter doc-date.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition.example/ns"
    exclude-result-prefixes="#all">

  <xsl:import href="behaviour.xsl"/>
  <xsl:import href="messages.xsl"/>
  <xsl:include href="registers.xsl"/>
  <xsl:include href="readings.xsl"/>
  <xsl:include href="sources.xsl"/>
  <xsl:include href="breaks.xsl"/>
  <xsl:include href="apparatus.xsl"/>

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
