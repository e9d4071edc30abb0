<?xml version="1.0" encoding="UTF-8"?>
<!-- TEI chapter "Representation of Primary Sources": omissions, supplied text, deletions, additions. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition.example/ns"
    xmlns:h="https://edition.example/ns/html"
    exclude-result-prefixes="#all">

  <xsl:template match="tei:gap">
    <span class="tei-gap">
      <xsl:call-template name="h:attrs"/>
      <xsl:attribute name="title" select="string-join(('omitted', @reason ! replace(., '-', ' '),
          if (@quantity) then concat(@quantity, ' ', @unit) else @extent), ': ')"/>
      <xsl:text>[...]</xsl:text>
      <xsl:apply-templates/>
    </span>
  </xsl:template>

  <xsl:template match="tei:supplied">
    <span class="tei-supplied">
      <xsl:call-template name="h:attrs"/>
      <xsl:attribute name="title" select="string-join(('supplied by the editors', @reason ! replace(., '-', ' ')), ': ')"/>
      <xsl:text>[</xsl:text><xsl:apply-templates/><xsl:text>]</xsl:text>
    </span>
    <xsl:call-template name="h:app-ref"/>
  </xsl:template>

  <xsl:template match="tei:unclear">
    <span class="tei-unclear" title="{string-join(('unclear in the source', @reason), ': ')}">
      <xsl:call-template name="h:attrs"/>
      <xsl:apply-templates/>
      <span class="unclear-mark" data-pagefind-ignore="">[?]</span>
    </span>
  </xsl:template>

  <xsl:template match="tei:del">
    <del class="tei-del" title="deleted in the source"><xsl:call-template name="h:attrs"/><xsl:apply-templates/></del>
  </xsl:template>

  <xsl:template match="tei:add">
    <ins class="tei-add" title="{string-join(('added in the source', @place), ': ')}"><xsl:call-template name="h:attrs"/><xsl:apply-templates/></ins>
  </xsl:template>

  <xsl:template match="tei:subst | tei:restore | tei:handShift | tei:damage | tei:surplus | tei:space | tei:fw
                       | tei:secl | tei:retrace | tei:mod | tei:redo | tei:undo">
    <span class="tei-{local-name()}"><xsl:call-template name="h:attrs"/>
      <xsl:if test="self::tei:surplus">{</xsl:if><xsl:apply-templates/><xsl:if test="self::tei:surplus">}</xsl:if>
    </span>
  </xsl:template>
</xsl:stylesheet>
