<?xml version="1.0" encoding="UTF-8"?>
<!-- Speaker turns. The records are in reported speech and their sp have no <speaker>: the speaker's
     name, from the register through @who, is printed in small caps as a label before the turn's first
     paragraph (#speaker), which is also the index anchor that makes that page bold in the index. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition.example/ns"
    exclude-result-prefixes="#all">

  <xsl:template match="tei:sp">
    <xsl:choose>
      <!-- Turns whose text is not in paragraphs get one, so that the label has a paragraph to start. -->
      <xsl:when test="not(tei:p | tei:ab | tei:lg | tei:list)">
        <xsl:call-template name="ed:block">
          <xsl:with-param name="content">
            <xsl:apply-templates select="." mode="speaker-label"/>
            <xsl:apply-templates/>
          </xsl:with-param>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:apply-templates/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:sp/tei:p[not(preceding-sibling::tei:p | preceding-sibling::tei:ab)]
                       | tei:sp/tei:ab[not(preceding-sibling::tei:p | preceding-sibling::tei:ab)]"
                mode="speaker-label">
    <xsl:apply-templates select=".." mode="speaker-label"/>
  </xsl:template>

  <!-- The label: surnames from the register (the bare id when a pointer does not resolve);
       an explicit <speaker> is printed instead, where the encoding has one. -->
  <xsl:template match="tei:sp" mode="speaker-label">
    <xsl:variable name="tokens" select="tokenize(normalize-space(@who), ' ')[. ne '']"/>
    <xsl:value-of select="ed:mentions(@who, 'person', true())" separator=""/>
    <xsl:choose>
      <xsl:when test="tei:speaker">
        <xsl:text>#speaker[</xsl:text>
        <xsl:apply-templates select="tei:speaker/node()"/>
        <xsl:text>]</xsl:text>
      </xsl:when>
      <xsl:when test="exists($tokens)">
        <xsl:variable name="names" select="for $t in $tokens return (ed:entity($t, @who)?label, ed:id($t))[1]"/>
        <xsl:text>#speaker[</xsl:text>
        <xsl:value-of select="ed:typst-escape(string-join($names, ' and '))"/>
        <xsl:text>]</xsl:text>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- printed as the label of the first paragraph (above) -->
  <xsl:template match="tei:sp/tei:speaker"/>

  <xsl:template match="tei:stage">
    <xsl:text>#emph[</xsl:text>
    <xsl:apply-templates/>
    <xsl:text>]</xsl:text>
  </xsl:template>
</xsl:stylesheet>
