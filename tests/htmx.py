"""Fragments HTMX vérifiés comme le navigateur les voit (à la manière de les-emplois,
`update_page_with_htmx` et `assertSoupEqual`) : on applique le fragment renvoyé à la page
d'avant, à l'endroit et de la manière que déclare l'élément qui l'a demandé (`hx-target`,
`hx-swap`, hérités des ancêtres comme dans htmx), et on compare le résultat à la page
entière rendue après le changement. Comparaison sur du HTML normalisé : espaces
ignorés, jeton CSRF retiré.

    page = client.get(adresse)
    response = client.post(adresse_htmx, data, HTTP_HX_REQUEST="true")
    apres = update_page_with_htmx(page, '//form[@hx-post]', response)
    assert_html_equal(apres, client.get(adresse))
"""

import difflib
import re

from lxml import html as lxml_html

#: Champ du jeton CSRF : il change d'une requête à l'autre.
CSRF_NAME = "csrfmiddlewaretoken"
CSRF_HEADER = re.compile(r'("X-CSRFToken":\s*")[^"]*')

#: Identifiants tirés au hasard à chaque rendu par django-dsfr (`generate_random_id` :
#: 16 minuscules, après un préfixe et un tiret), et les attributs qui y renvoient.
RANDOM_ID = re.compile(r"(?<=-)[a-z]{16}\b")
ID_ATTRIBUTES = ("id", "for", "aria-controls", "aria-labelledby", "aria-describedby")


def _content(source) -> str:
    if hasattr(source, "content"):  # réponse du client de test
        return source.content.decode()
    if isinstance(source, bytes):
        return source.decode()
    return source


def parse_page(source) -> lxml_html.HtmlElement:
    """La page (réponse, texte ou arbre déjà lu) en arbre lxml."""
    if isinstance(source, lxml_html.HtmlElement):
        return source
    return lxml_html.document_fromstring(_content(source))


def _find(tree, selector: str):
    """Un seul élément, désigné par « #id » ou par une expression XPath."""
    if selector.startswith("#"):
        found = tree.xpath("//*[@id=$id]", id=selector[1:])
    else:
        found = tree.xpath(selector)
    assert len(found) == 1, f"{selector!r} désigne {len(found)} éléments dans la page"
    return found[0]


def _inherited(element, attribute: str) -> str | None:
    """La valeur d'un attribut htmx sur l'élément ou son plus proche ancêtre (héritage)."""
    for node in (element, *element.iterancestors()):
        value = node.get(attribute)
        if value is not None:
            return value
    return None


def _fragments(response) -> list:
    """Le contenu renvoyé : texte de tête éventuel puis éléments."""
    content = _content(response).strip()
    return lxml_html.fragments_fromstring(content) if content else []


def _insert(parent, index: int, fragments, *, before_text: str | None = None) -> None:
    """Place `fragments` dans `parent` à la position `index` (texte puis éléments)."""
    for fragment in fragments:
        if isinstance(fragment, str):
            if index == 0:
                parent.text = (parent.text or "") + fragment
            else:
                previous = parent[index - 1]
                previous.tail = (previous.tail or "") + fragment
            continue
        fragment.tail = None
        parent.insert(index, fragment)
        index += 1
    if before_text:
        if index == 0:
            parent.text = (parent.text or "") + before_text
        else:
            parent[index - 1].tail = (parent[index - 1].tail or "") + before_text


def update_page_with_htmx(page, trigger: str, response, *, target=None, swap=None):
    """La page (arbre lxml) après application du fragment `response`.

    `trigger` désigne l'élément qui porte la requête (« #id » ou XPath) : sa cible
    (`hx-target`, « this » par défaut) et son mode (`hx-swap`, « innerHTML » par défaut)
    sont lus comme htmx les lit, ou donnés par `target` et `swap` ; les en-têtes
    `HX-Retarget` et `HX-Reswap` de la réponse l'emportent, comme dans htmx."""
    tree = parse_page(page)
    element = _find(tree, trigger)
    target = response.headers.get("HX-Retarget") or target or _inherited(element, "hx-target")
    swap = response.headers.get("HX-Reswap") or swap or _inherited(element, "hx-swap")
    target_element = element if target in (None, "this") else _find(tree, target)
    swap = (swap or "innerHTML").split()[0]
    fragments = _fragments(response)
    if swap == "outerHTML":
        parent = target_element.getparent()
        index = parent.index(target_element)
        tail = target_element.tail
        parent.remove(target_element)
        _insert(parent, index, fragments, before_text=tail)
    elif swap == "innerHTML":
        for child in list(target_element):
            target_element.remove(child)
        target_element.text = None
        _insert(target_element, 0, fragments)
    else:
        raise NotImplementedError(f"hx-swap « {swap} » non pris en charge")
    return tree


def _collapse(text: str | None) -> str | None:
    if text is None:
        return None
    return " ".join(text.split()) or None


def normalise(source) -> str:
    """Le HTML de la page, prêt à comparer : espaces réduits, jeton CSRF et nonce de la
    Content-Security-Policy (différents à chaque requête) retirés, identifiants aléatoires
    de django-dsfr remplacés par « … »."""
    tree = parse_page(lxml_html.tostring(parse_page(source), encoding="unicode"))
    for field in tree.xpath("//input[@name=$name]", name=CSRF_NAME):
        field.attrib.pop("value", None)
    for element in tree.xpath("//*[@hx-headers]"):
        element.set("hx-headers", CSRF_HEADER.sub(r"\1…", element.get("hx-headers")))
    for element in tree.iter():
        element.text = _collapse(element.text)
        element.tail = _collapse(element.tail)
        for attribute in ID_ATTRIBUTES:
            if attribute in element.attrib:
                element.set(attribute, RANDOM_ID.sub("…", element.get(attribute)))
        if "class" in element.attrib:
            element.set("class", " ".join(element.get("class").split()))
        element.attrib.pop("nonce", None)
    lines = lxml_html.tostring(tree, encoding="unicode", pretty_print=True)
    return lines.replace("><", ">\n<")


def assert_html_equal(actual, expected) -> None:
    """Les deux pages (réponses, textes ou arbres) sont identiques une fois normalisées."""
    actual, expected = normalise(actual), normalise(expected)
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(),
            actual.splitlines(),
            "rendu complet",
            "page mise à jour",
            lineterm="",
        )
        raise AssertionError("Les deux pages diffèrent :\n" + "\n".join(diff))


def drop(page, *selectors):
    """La page sans les éléments désignés (« #id » ou XPath ; aucun, un ou plusieurs)."""
    tree = parse_page(page)
    for selector in selectors:
        path = f"//*[@id='{selector[1:]}']" if selector.startswith("#") else selector
        for element in tree.xpath(path):
            parent, tail = element.getparent(), element.tail
            index = parent.index(element)
            parent.remove(element)
            _insert(parent, index, [], before_text=tail)
    return tree


def assert_htmx_swap_matches_full_render(
    page_before, trigger, response, page_after, *, transient=(), **kwargs
):
    """Le fragment appliqué à la page d'avant donne la page entière rendue après.

    `transient` : éléments que seul le fragment montre, une fois (message « enregistré »),
    retirés des deux côtés avant de comparer."""
    updated = update_page_with_htmx(page_before, trigger, response, **kwargs)
    assert_html_equal(drop(updated, *transient), drop(page_after, *transient))


def fill(page, **values):
    """Les choix de l'utilisateur dans les champs de la page avant l'envoi (ce que le
    navigateur garde dans le DOM) : option choisie d'une liste, valeur d'un champ."""
    tree = parse_page(page)
    for name, value in values.items():
        radios = tree.xpath("//input[@type='radio'][@name=$name]", name=name)
        if radios:  # un groupe de boutons radio : un seul coché
            for radio in radios:
                if radio.get("value") == str(value):
                    radio.set("checked", "")
                else:
                    radio.attrib.pop("checked", None)
            continue
        field = _find(tree, f"//*[@name='{name}']")
        if field.tag == "select":
            for option in field.iter("option"):
                if option.get("value") == str(value):
                    option.set("selected", "")
                else:
                    option.attrib.pop("selected", None)
        elif field.tag == "textarea":
            field.text = str(value)
        else:
            field.set("value", str(value))
    return tree
