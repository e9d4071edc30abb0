<?xml version="1.0" encoding="UTF-8"?>
<!--
  Pointers into the registers, decided once for both outputs: which entry a pointer names, and the
  name it is shown by (a name link on the web, an index entry and a speaker label in print).

  Parameter (a JSON string, or the map it denotes):
    entities   JSON: pointer -> {"id", "kind", "name", "label", "href"} for every register entry, keyed by
               the register's absolute URI ("file:///.../persons.xml#stalin") and by its file name
               ("persons.xml#stalin"); an entry a document declares itself (a play's particDesc) by that
               document's URI. Built once, in Python (edition/registers.py: pointer_map). Pointers are
               looked up there, never fetched with doc(): a document's pointers are untrusted and must
               not make the transformation read other files or the network.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:ed="https://edition.example/ns"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    exclude-result-prefixes="#all">

  <!-- The JSON text, or the map it denotes: edition passes the map, parsed once per process
       (edition/xslt.py: JsonParameter), since parsing a large register's JSON for every document
       cost more than transforming the document. -->
  <xsl:param name="entities" as="item()" select="'{}'"/>
  <xsl:variable name="ed:entities" as="map(*)"
      select="if ($entities instance of map(*)) then $entities else parse-json(string($entities))"/>

  <!-- "persons.xml#stalin" -> "stalin"; "#ed" -> "ed" -->
  <xsl:function name="ed:id" as="xs:string">
    <xsl:param name="pointer" as="xs:string?"/>
    <xsl:sequence select="if (contains($pointer, '#')) then replace($pointer, '^.*#', '') else string($pointer)"/>
  </xsl:function>

  <!-- A pointer resolved against the document's URI, in the form Python writes (Saxon writes file:/a/b
       where Python writes file:///a/b); the empty sequence when it cannot be resolved. -->
  <xsl:function name="ed:resolve" as="xs:string?">
    <xsl:param name="relative" as="xs:string"/>
    <xsl:param name="context" as="node()"/>
    <xsl:try>
      <xsl:sequence select="replace(string(resolve-uri($relative, base-uri($context))), '^file:/+', 'file:///')"/>
      <xsl:catch select="()"/>
    </xsl:try>
  </xsl:function>

  <!-- The register entry the first token of a pointer stands for: by the register's URI first; else by
       its file name, as the corpus resolves pointers (a document in a subfolder may point at
       "persons.xml#x" while the register lives elsewhere). -->
  <xsl:function name="ed:entity" as="map(*)?">
    <xsl:param name="pointer" as="xs:string?"/>
    <xsl:param name="context" as="node()"/>
    <xsl:variable name="first" select="tokenize(normalize-space($pointer), ' ')[1]"/>
    <xsl:variable name="absolute" select="if (contains($first, '#')) then ed:resolve($first, $context) else ()"/>
    <xsl:sequence select="if (empty($absolute)) then ()
                          else ($ed:entities($absolute), $ed:entities(replace($absolute, '^.*/', '')))[1]"/>
  </xsl:function>

  <xsl:key name="ed:ids" match="*[@xml:id]" use="@xml:id"/>

  <!-- The name a pointer (@who, @sameAs) is shown by: the register's ($form "name": "J. V. Stalin";
       "label": "Stalin", the surname, for speaker labels in print); else, for "#x", the name of the
       element x of the same document (a play's cast, a volume's list of persons); else the bare id. -->
  <xsl:function name="ed:pointer-name" as="xs:string">
    <xsl:param name="pointer" as="xs:string"/>
    <xsl:param name="context" as="node()"/>
    <xsl:param name="form" as="xs:string"/>
    <xsl:variable name="entity" select="ed:entity($pointer, $context)"/>
    <xsl:variable name="local" select="if (starts-with($pointer, '#') and root($context) instance of document-node())
        then key('ed:ids', substring($pointer, 2), root($context))[1] else ()"/>
    <xsl:variable name="local-name"
        select="($local/(tei:persName | tei:orgName | tei:name | tei:term) ! normalize-space(.))[. ne ''][1]"/>
    <xsl:sequence select="if (exists($entity)) then (if ($form = 'label') then $entity?label else $entity?name)
                          else if ($local-name) then $local-name else ed:id($pointer)"/>
  </xsl:function>

  <!-- The speakers of a turn, in the order of @who. -->
  <xsl:function name="ed:speaker-names" as="xs:string*">
    <xsl:param name="sp" as="element()"/>
    <xsl:param name="form" as="xs:string"/>
    <xsl:sequence select="for $token in tokenize(normalize-space($sp/@who), ' ') return ed:pointer-name($token, $sp, $form)"/>
  </xsl:function>

  <!-- "Stalin", "Stalin and Eden", "Stalin, Molotov and Eden" -->
  <xsl:function name="ed:join-names" as="xs:string">
    <xsl:param name="names" as="xs:string*"/>
    <xsl:sequence select="if (count($names) le 2) then string-join($names, ' and ')
                          else string-join($names[position() lt last()], ', ') || ' and ' || $names[last()]"/>
  </xsl:function>
</xsl:stylesheet>
