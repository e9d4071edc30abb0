<?xml version="1.0" encoding="UTF-8"?>
<!-- The teiHeader as the document's metadata block (never as running text), and the editorialDecl
     for the edition's principles page. Works with any header: every part is optional. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition.example/ns"
    xmlns:h="https://edition.example/ns/html"
    exclude-result-prefixes="#all">

  <!-- A note in the header (in a title, say) is not one of the text's numbered notes: its text is kept
       in brackets where it stands. -->
  <xsl:template match="tei:note[ancestor::tei:teiHeader]" priority="3">
    <span class="header-note"> (<xsl:apply-templates/>)</span>
  </xsl:template>

  <!-- In the running text a header (of a teiCorpus member, say) is never dumped as text. -->
  <xsl:template match="tei:teiHeader | tei:standOff | tei:facsimile | tei:sourceDoc[ancestor::tei:TEI/tei:text]"/>

  <xsl:template match="tei:teiHeader" mode="ed:header">
    <xsl:variable name="file" select="tei:fileDesc"/>
    <xsl:variable name="profile" select="tei:profileDesc"/>
    <xsl:variable name="title" select="($file/tei:titleStmt/tei:title[@type = 'main'], $file/tei:titleStmt/tei:title)[1]"/>
    <xsl:variable name="creation" select="$profile/tei:creation"/>
    <xsl:variable name="ms" select="$file/tei:sourceDesc/tei:msDesc[1]"/>
    <header class="doc-header">
      <xsl:for-each select="$profile/tei:textClass//tei:term[@type = 'document-type']">
        <p class="doc-type"><xsl:apply-templates/></p>
      </xsl:for-each>
      <!-- the document's own header is the page's h1; those of a teiCorpus's members are h2 -->
      <xsl:choose>
        <xsl:when test="parent::tei:TEI/parent::tei:teiCorpus">
          <h2 class="doc-title"><xsl:apply-templates select="$title/node()"/></h2>
        </xsl:when>
        <xsl:otherwise>
          <h1 class="doc-title" id="ed-doc-title"><xsl:apply-templates select="$title/node()"/></h1>
        </xsl:otherwise>
      </xsl:choose>
      <!-- The headnote, as documentary editions (FRUS) open a document: where the source is, where it was
           first published, who recorded or translated it. What it says is not repeated in the list below. -->
      <xsl:variable name="recorders" select="$file/tei:titleStmt/tei:respStmt[matches(tei:resp[1], 'record|transl|wr[io]te', 'i')]"/>
      <xsl:variable name="bibls" select="ed:source-bibls(.)"/>
      <xsl:if test="$ms or $bibls or $recorders">
        <p class="headnote">
          <xsl:if test="$ms">
            <!-- class "source": the archival citation the page's citation box quotes (render/fragments.py) -->
            <xsl:variable name="citation" select="h:ms-citation($ms)"/>
            <span class="headnote-part"><em>Source:</em><xsl:text> </xsl:text><span class="source"><xsl:value-of select="$citation"/></span>
              <xsl:value-of select="substring(h:sentence($citation), string-length($citation) + 1)"/></span>
          </xsl:if>
          <xsl:for-each select="$bibls">
            <xsl:text> </xsl:text>
            <span class="headnote-part"><em><xsl:value-of select="ed:bibl-label(.)"/>:</em><xsl:text> </xsl:text><xsl:value-of select="h:sentence(ed:bibl-citation(.))"/></span>
          </xsl:for-each>
          <xsl:for-each select="$recorders">
            <xsl:text> </xsl:text>
            <span class="headnote-part"><xsl:value-of select="ed:capitalise(normalize-space(tei:resp[1]))"/><xsl:text> </xsl:text>
              <xsl:for-each select="tei:persName | tei:orgName | tei:name">
                <xsl:if test="position() gt 1">, </xsl:if>
                <xsl:apply-templates select="."/>
              </xsl:for-each>.</span>
          </xsl:for-each>
        </p>
      </xsl:if>
      <dl class="doc-meta">
        <xsl:if test="normalize-space($doc-author)">
          <dt>Author</dt>
          <dd class="author"><xsl:value-of select="$doc-author"/></dd>
        </xsl:if>
        <xsl:if test="not($creation/(tei:date | tei:origDate)) and normalize-space($doc-date)">
          <dt>Date</dt>
          <dd class="date-place"><xsl:value-of select="$doc-date"/></dd>
        </xsl:if>
        <xsl:if test="$creation/(tei:date | tei:placeName | tei:origDate | tei:origPlace)">
          <dt>Date and place</dt>
          <dd class="date-place">
            <xsl:for-each select="$creation/(tei:date | tei:origDate | tei:placeName | tei:origPlace)">
              <xsl:if test="position() gt 1">, </xsl:if>
              <xsl:apply-templates select="."/>
            </xsl:for-each>
          </dd>
        </xsl:if>
        <xsl:variable name="classes" select="$profile/tei:textClass//tei:term[@type = 'classification']"/>
        <xsl:if test="$classes">
          <dt>Classification</dt>
          <dd class="classification"><xsl:for-each select="$classes"><xsl:if test="position() gt 1">; </xsl:if><xsl:apply-templates/></xsl:for-each></dd>
        </xsl:if>
        <xsl:variable name="persons" select="$profile/tei:particDesc//(tei:person | tei:personGrp | tei:org)"/>
        <xsl:if test="$persons">
          <dt>Participants</dt>
          <dd>
            <ul class="participants">
              <xsl:for-each select="$persons">
                <xsl:variable name="pointer" select="(@sameAs, @corresp)[1]"/>
                <xsl:variable name="entity" select="if ($pointer) then h:entity($pointer, .) else ()"/>
                <xsl:variable name="id" select="if ($pointer) then ed:id(tokenize(normalize-space($pointer), ' ')[1]) else string(@xml:id)"/>
                <li class="participant" data-who="{$id}" style="--speaker-hue: {h:hue($id)}">
                  <xsl:choose>
                    <xsl:when test="exists($entity)"><a href="{h:href($entity?href)}"><xsl:value-of select="$entity?name"/></a></xsl:when>
                    <xsl:when test="tei:persName | tei:orgName | tei:name">
                      <xsl:apply-templates select="(tei:persName | tei:orgName | tei:name)[1]"/>
                    </xsl:when>
                    <xsl:otherwise><xsl:value-of select="if (normalize-space(.)) then normalize-space(.) else $id"/></xsl:otherwise>
                  </xsl:choose>
                  <xsl:if test="@role = 'silent'"><span class="role"> (present, does not speak)</span></xsl:if>
                </li>
              </xsl:for-each>
            </ul>
          </dd>
        </xsl:if>
        <xsl:for-each select="$file/tei:titleStmt/(tei:author | tei:respStmt) except $recorders">
          <dt><xsl:value-of select="if (self::tei:author) then 'Author' else ed:capitalise(normalize-space(tei:resp[1]))"/></dt>
          <dd>
            <xsl:for-each select="if (self::tei:author) then . else (tei:persName | tei:orgName | tei:name)">
              <xsl:if test="position() gt 1">, </xsl:if>
              <xsl:apply-templates select="if (self::tei:author) then node() else ."/>
            </xsl:for-each>
          </dd>
        </xsl:for-each>
        <xsl:if test="$file/tei:titleStmt/tei:editor">
          <dt>Edited by</dt>
          <dd><xsl:value-of select="string-join($file/tei:titleStmt/tei:editor ! normalize-space(.), ', ')"/></dd>
        </xsl:if>
        <xsl:for-each select="$file/tei:publicationStmt/tei:availability/tei:licence">
          <dt>Licence</dt>
          <dd>
            <xsl:variable name="target" select="h:link-target(@target, .)"/>
            <xsl:choose>
              <xsl:when test="$target"><a href="{$target}" rel="license noopener"><xsl:value-of select="normalize-space(.)"/></a></xsl:when>
              <xsl:otherwise><xsl:value-of select="normalize-space(.)"/></xsl:otherwise>
            </xsl:choose>
          </dd>
        </xsl:for-each>
      </dl>
    </header>
  </xsl:template>

  <!-- "Archive of the President of the Russian Federation (AP RF), f. 45, op. 1, d. 279, l. 115–122"
       (the parts: common/sources.xsl) -->
  <!-- A sentence ends with a full stop, unless it ends with punctuation already. -->
  <xsl:function name="h:sentence" as="xs:string">
    <xsl:param name="text" as="xs:string"/>
    <xsl:sequence select="if (matches($text, '[.!?…]$')) then $text else $text || '.'"/>
  </xsl:function>

  <xsl:function name="h:ms-citation" as="xs:string">
    <xsl:param name="ms" as="element()"/>
    <xsl:variable name="part" select="ed:ms-parts($ms)"/>
    <xsl:sequence select="string-join((
        if ($part?repository) then $part?repository else $part?settlement,
        $part?collection[.], $part?fond[.] ! ('f. ' || .), $part?opis[.] ! ('op. ' || .), $part?papka[.] ! ('p. ' || .),
        $part?delo[.] ! ('d. ' || .), $part?others, $part?folios[.] ! ('l. ' || .)), ', ')"/>
  </xsl:function>

  <!-- editorialDecl, for the principles page: one section per kind of decision. -->
  <xsl:template match="tei:editorialDecl" mode="ed:editorial">
    <xsl:apply-templates select="*" mode="ed:editorial"/>
  </xsl:template>

  <xsl:template match="tei:editorialDecl/tei:p" mode="ed:editorial" priority="1">
    <p><xsl:apply-templates/></p>
  </xsl:template>

  <xsl:template match="tei:editorialDecl/*" mode="ed:editorial">
    <section class="decl decl-{local-name()}">
      <h2><xsl:value-of select="ed:capitalise(replace(local-name(), '([a-z])([A-Z])', '$1 $2'))"/>
        <xsl:if test="@method"><span class="decl-method"> (<xsl:value-of select="@method"/>)</span></xsl:if></h2>
      <xsl:apply-templates/>
    </section>
  </xsl:template>

  <!-- Element and attribute names in the header's prose. -->
  <xsl:template match="tei:gi">
    <code class="tei-gi">&lt;<xsl:value-of select="."/>&gt;</code>
  </xsl:template>

  <xsl:template match="tei:att">
    <code class="tei-att">@<xsl:value-of select="."/></code>
  </xsl:template>
</xsl:stylesheet>
