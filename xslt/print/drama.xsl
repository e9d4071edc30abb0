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

  <!-- Every turn has its label, whatever it holds. A turn that opens with a paragraph (the records'
       reported speech) has it inline before that paragraph's first word; one that opens with verse,
       a stage direction, a table or a list (drama) has it on a line of its own above; one with no
       blocks at all (text straight in <sp>) is made a paragraph that starts with it. -->
  <xsl:template match="tei:sp">
    <xsl:variable name="first" select="(* except tei:speaker)[1]"/>
    <xsl:choose>
      <xsl:when test="$first[self::tei:p or self::tei:ab]">
        <xsl:apply-templates/>
      </xsl:when>
      <xsl:when test="* except tei:speaker">
        <xsl:call-template name="ed:block">
          <xsl:with-param name="content"><xsl:apply-templates select="." mode="ed:speaker-label"/></xsl:with-param>
        </xsl:call-template>
        <xsl:apply-templates/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="ed:block">
          <xsl:with-param name="content">
            <xsl:apply-templates select="." mode="ed:speaker-label"/>
            <xsl:apply-templates/>
          </xsl:with-param>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:sp/tei:p[not(preceding-sibling::* except preceding-sibling::tei:speaker)]
                       | tei:sp/tei:ab[not(preceding-sibling::* except preceding-sibling::tei:speaker)]"
                mode="ed:speaker-label">
    <xsl:apply-templates select=".." mode="ed:speaker-label"/>
  </xsl:template>

  <!-- The label: surnames from the register, else the document's own names (common/registers.xsl);
       an explicit <speaker> is printed instead, where the encoding has one. -->
  <xsl:template match="tei:sp" mode="ed:speaker-label">
    <xsl:variable name="tokens" select="tokenize(normalize-space(@who), ' ')[. ne '']"/>
    <xsl:value-of select="ed:mentions(@who, 'person', true())" separator=""/>
    <xsl:choose>
      <xsl:when test="tei:speaker">
        <xsl:text>#speaker[</xsl:text>
        <xsl:apply-templates select="tei:speaker/node()"/>
        <xsl:text>]</xsl:text>
      </xsl:when>
      <xsl:when test="exists($tokens)">
        <xsl:text>#speaker[</xsl:text>
        <xsl:value-of select="ed:typst-escape(ed:join-names(ed:speaker-names(., 'label')))"/>
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

  <!-- A stage direction between turns or lines is a paragraph of its own. -->
  <xsl:template match="tei:stage[parent::tei:div or parent::tei:body or parent::tei:sp or parent::tei:lg
                       or parent::tei:front or parent::tei:back or parent::tei:castList]" priority="1">
    <xsl:call-template name="ed:block">
      <xsl:with-param name="content"><xsl:next-match/></xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- The cast list: each role with its description ("Альбер, молодой рыцарь"), groups indented. -->
  <xsl:template match="tei:castList | tei:castGroup">
    <xsl:apply-templates select="tei:head"/>
    <xsl:apply-templates select="* except tei:head"/>
  </xsl:template>

  <xsl:template match="tei:castItem">
    <xsl:call-template name="ed:block">
      <xsl:with-param name="content"><xsl:apply-templates/></xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:roleDesc">
    <xsl:if test="preceding-sibling::node()[1][self::*]">, </xsl:if>
    <xsl:text>#emph[</xsl:text>
    <xsl:apply-templates/>
    <xsl:text>]</xsl:text>
  </xsl:template>

  <xsl:template match="tei:role | tei:actor | tei:set | tei:performance | tei:prologue | tei:epilogue">
    <xsl:apply-templates/>
  </xsl:template>
</xsl:stylesheet>
