<?xml version="1.0" encoding="UTF-8"?>
<!--
  The one way the stylesheets report to Python: xsl:message with a small XML payload,

    <ed:diagnostic code="html.unknown-element" name="tei:metamark"/>
    <ed:diagnostic code="pdf.fallback" name="num" path="/Q{...}TEI[1]/..." detail="inline"/>

  which edition/render/messages.py turns into a Diagnostic (the wording, the line of the element,
  the hint) in one place. `path` (XPath path() of the element) gives the line; without it the
  first element of that name in the text does. Any other xsl:message (a project stylesheet's) is
  reported as it is.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:ed="https://edition.example/ns"
    exclude-result-prefixes="#all">

  <xsl:template name="ed:report">
    <xsl:param name="code" as="xs:string" required="yes"/>
    <xsl:param name="name" as="xs:string" select="''"/>
    <xsl:param name="path" as="xs:string" select="''"/>
    <xsl:param name="detail" as="xs:string" select="''"/>
    <xsl:message><ed:diagnostic code="{$code}" name="{$name}" path="{$path}" detail="{$detail}"/></xsl:message>
  </xsl:template>
</xsl:stylesheet>
