<?xml version="1.0" encoding="utf-8"?>{% load i18n static %}{% get_current_language as LANGUAGE_CODE %}
<!-- How a browser shows one of the portal's Atom feeds (pages/feeds.py): a readable page. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>
  <xsl:template match="/atom:feed">
    <html lang="{{ LANGUAGE_CODE }}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="atom:title"/></title>
        <link rel="stylesheet" href="{% static 'css/portal.css' %}"/>
      </head>
      <body>
        <main id="main-content" class="feed-preview">
          <p class="feed-explainer">{{ explainer }}</p>
          <h1><xsl:value-of select="atom:title"/></h1>
          <p><a href="{atom:link[@rel='alternate']/@href}">{{ back }}</a></p>
          <ol class="history">
            <xsl:for-each select="atom:entry">
              <li>
                <h2><a href="{atom:link/@href}"><xsl:value-of select="atom:title"/></a></h2>
                <p><xsl:value-of select="atom:summary"/></p>
              </li>
            </xsl:for-each>
          </ol>
          <xsl:if test="not(atom:entry)"><p>{{ empty }}</p></xsl:if>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
