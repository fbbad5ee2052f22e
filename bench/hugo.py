"""An equivalent minimal Hugo site for the same articles: the yardstick in the benchmark table.

Same articles (taken from our content/articles front matter and body), taxonomies for topics and
countries, an RSS feed per list, one page per article, directory URLs, no theme beyond a few
one-line layouts.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import frontmatter

CONFIG = """baseURL = "https://example.org/"
languageCode = "ar"
title = "bench"
disableKinds = ["robotsTXT"]
[taxonomies]
  topic = "topics"
  country = "countries"
[outputs]
  home = ["HTML", "RSS"]
  section = ["HTML", "RSS"]
  taxonomy = ["HTML", "RSS"]
  term = ["HTML", "RSS"]
"""
LAYOUTS = {
    "_default/baseof.html": '<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
                            "<title>{{ .Title }}</title></head><body><nav><a href=\"/\">home</a> "
                            '<a href="/topics/">topics</a> <a href="/countries/">countries</a></nav>'
                            "{{ block \"main\" . }}{{ end }}</body></html>",
    "_default/single.html": '{{ define "main" }}<h1>{{ .Title }}</h1><time>{{ .Date.Format "2006-01-02" }}</time>'
                            "{{ .Content }}{{ end }}",
    "_default/list.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}'
                          '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary }}</li>{{ end }}</ul>{{ end }}',
    "_default/terms.html": '{{ define "main" }}<ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">'
                           "{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}",
}


def make_site(content: Path, dest: Path) -> int:
    """Write a Hugo project for the articles in `content/articles`; returns how many."""
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "content/articles").mkdir(parents=True)
    (dest / "hugo.toml").write_text(CONFIG, encoding="utf-8")
    for rel, text in LAYOUTS.items():
        (dest / "layouts" / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / "layouts" / rel).write_text(text, encoding="utf-8")
    count = 0
    for page in sorted((content / "articles").glob("*.md")):
        post = frontmatter.load(page)
        date = post.get("date") or "2000-01-01"
        date = (date + "-01-01")[:10] if len(date) == 4 else (date + "-01")[:10] if len(date) == 7 else date
        meta = {"title": post["title"], "date": date, "topics": post.get("topics", []),
                "countries": post.get("countries", []), "summary": post.get("summary", "")}
        body = post.content.split("\n\n", 2)[-1]
        (dest / "content/articles" / page.name).write_text(json.dumps(meta, ensure_ascii=False) + "\n\n" + body,
                                                            encoding="utf-8")
        count += 1
    return count
