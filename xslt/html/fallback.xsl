<?xml version="1.0" encoding="UTF-8"?>
<!-- Any element without a template of its own: its text is kept, inside an element whose class names
     it (<span class="tei-metamark">), and it is reported once per element name (see html.xsl). -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition.example/ns"
    xmlns:h="https://edition.example/ns/html"
    exclude-result-prefixes="#all">

  <xsl:template match="*" priority="-10">
    <xsl:variable name="behaviour" select="ed:behaviour(.)"/>
    <xsl:variable name="name" select="if (namespace-uri() = 'http://www.tei-c.org/ns/1.0') then 'tei:' || local-name() else name()"/>
    <xsl:choose>
      <!-- processing data (facsimile zones ...) and metadata have nothing for a reader of the text -->
      <xsl:when test="$behaviour = ('omit', 'metadata') and not(normalize-space())"/>
      <xsl:otherwise>
        <xsl:element name="{if ($behaviour = 'block' or h:has-blocks(.)) then 'div' else 'span'}">
          <xsl:attribute name="class" select="'tei-' || replace(local-name(), '[^\w-]', '_')"/>
          <xsl:attribute name="data-unknown" select="$name"/>
          <xsl:call-template name="h:attrs"/>
          <xsl:apply-templates/>
        </xsl:element>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Text is always copied (escaped by the serialiser); comments and processing instructions are not. -->
  <xsl:template match="comment() | processing-instruction()"/>
</xsl:stylesheet>
