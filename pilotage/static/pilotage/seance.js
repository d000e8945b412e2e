/* Mode séance : navigation au clavier, minuteur par point, notes qui ne se perdent pas.
 *
 * Les notes sont enregistrées par HTMX au fil de la frappe (voir note_encart.html).
 * Ici : une copie locale (localStorage) tant que le serveur n'a pas confirmé, un nouvel
 * essai au retour de la connexion, et la copie restaurée si la page est rechargée
 * avant d'avoir pu enregistrer. */
(function () {
  "use strict";

  if (!window.htmx) {
    return;
  }

  var OFFLINE = "Non enregistré : nouvel essai dès le retour de la connexion. Votre texte reste ici.";

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function storage(kind) {
    try {
      return window[kind];
    } catch (e) {
      return null; // stockage interdit par le navigateur : on s'en passe
    }
  }
  var local = storage("localStorage");
  var session = storage("sessionStorage");

  // --- Navigation au clavier ---------------------------------------------------------

  function isTyping(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(el.tagName));
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) {
      return;
    }
    var which = null;
    if (event.key === "ArrowRight" || event.key === "s" || event.key === "S") {
      which = "suivant";
    } else if (event.key === "ArrowLeft" || event.key === "p" || event.key === "P") {
      which = "precedent";
    }
    var link = which && document.querySelector('[data-seance-nav="' + which + '"]');
    if (link) {
      event.preventDefault();
      link.click();
    }
  });

  // --- Notes -----------------------------------------------------------------------------

  function notes(root) {
    return (root || document).querySelectorAll("textarea[data-note-cle]");
  }

  function setStatus(textarea, text, className) {
    var box = document.getElementById(textarea.getAttribute("aria-describedby"));
    if (!box) {
      return;
    }
    var span = document.createElement("span");
    span.className = className;
    span.textContent = text;
    box.replaceChildren(span);
  }

  function pending(textarea) {
    return textarea.value !== textarea.dataset.enregistre;
  }

  function retry(textarea) {
    if (document.body.contains(textarea) && pending(textarea)) {
      htmx.trigger(textarea, "note-retry");
    }
  }

  function initNote(textarea) {
    if (textarea.dataset.noteInit) {
      return;
    }
    textarea.dataset.noteInit = "1";
    textarea.dataset.enregistre = textarea.value;
    var key = textarea.dataset.noteCle;
    var copy = local && local.getItem(key);
    if (copy !== null && copy !== undefined) {
      if (copy === textarea.value) {
        local.removeItem(key);
      } else {
        textarea.value = copy;
        setStatus(textarea, "Texte restauré depuis cet appareil : enregistrement en cours…", "note-statut__erreur");
        setTimeout(function () { retry(textarea); }, 0);
      }
    }
    textarea.addEventListener("input", function () {
      if (local) {
        try {
          local.setItem(key, textarea.value);
        } catch (e) { /* stockage plein : l'enregistrement en ligne suffit */ }
      }
    });
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (elt.matches && elt.matches("textarea[data-note-cle]")) {
      elt.dataset.envoye = elt.value;
    } else if (elt.matches && elt.matches("[data-seance-nav]")) {
      // On change de fiche : ce qui n'est pas encore parti part maintenant.
      notes().forEach(retry);
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    if (!(elt.matches && elt.matches("textarea[data-note-cle]"))) {
      return;
    }
    if (event.detail.successful) {
      elt.dataset.enregistre = elt.dataset.envoye;
      if (local && local.getItem(elt.dataset.noteCle) === elt.dataset.envoye) {
        local.removeItem(elt.dataset.noteCle);
      }
    } else if (event.detail.xhr && event.detail.xhr.status === 403) {
      setStatus(elt, "Non enregistré : vous ne pouvez pas écrire dans cette séance.", "note-statut__erreur");
    } else if (event.detail.xhr && event.detail.xhr.status >= 400 && event.detail.xhr.status !== 400) {
      setStatus(elt, OFFLINE, "note-statut__erreur");
    }
  });

  document.addEventListener("htmx:sendError", function (event) {
    var elt = event.detail.elt;
    if (elt.matches && elt.matches("textarea[data-note-cle]")) {
      setStatus(elt, OFFLINE, "note-statut__erreur");
    }
  });

  window.addEventListener("online", function () {
    notes().forEach(retry);
  });
  // Filet de sécurité : le serveur peut revenir sans que le navigateur le signale.
  setInterval(function () {
    if (navigator.onLine !== false) {
      notes().forEach(function (textarea) {
        var box = document.getElementById(textarea.getAttribute("aria-describedby"));
        if (box && box.querySelector(".note-statut__erreur")) {
          retry(textarea);
        }
      });
    }
  }, 15000);

  // --- Minuteur par point ------------------------------------------------------------

  function initTimer(box) {
    var button = box.querySelector("[data-minuteur-bouton]");
    var output = box.querySelector("[data-minuteur-affichage]");
    if (!button || !output || box.dataset.minuteurInit) {
      return;
    }
    box.dataset.minuteurInit = "1";
    var key = "pilotage-minuteur:" + box.dataset.point;
    var planned = parseInt(box.dataset.prevu || "0", 10) * 60;
    var state = { cumul: 0, depart: null };
    try {
      state = JSON.parse((session && session.getItem(key)) || "null") || state;
    } catch (e) { /* état illisible : on repart de zéro */ }

    function elapsed() {
      return state.cumul + (state.depart ? (Date.now() - state.depart) / 1000 : 0);
    }
    function render() {
      var seconds = Math.floor(elapsed());
      output.textContent = pad(Math.floor(seconds / 60)) + ":" + pad(seconds % 60);
      box.classList.toggle("seance-minuteur--depasse", planned > 0 && seconds > planned);
      button.textContent = state.depart
        ? "Arrêter le minuteur"
        : state.cumul ? "Reprendre le minuteur" : "Démarrer le minuteur";
      button.setAttribute("aria-pressed", state.depart ? "true" : "false");
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      if (state.depart) {
        state.cumul = elapsed();
        state.depart = null;
      } else {
        state.depart = Date.now();
      }
      if (session) {
        session.setItem(key, JSON.stringify(state));
      }
      render();
    });
    render();
    var timer = setInterval(function () {
      if (!document.body.contains(box)) {
        clearInterval(timer);
        return;
      }
      render();
    }, 1000);
  }

  // --- Initialisation (page chargée, puis chaque fragment inséré) ----------------------

  htmx.onLoad(function (root) {
    notes(root).forEach(initNote);
    if (root.matches && root.matches("textarea[data-note-cle]")) {
      initNote(root);
    }
    root.querySelectorAll(".seance-minuteur").forEach(initTimer);
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "seance") {
      var title = document.getElementById("seance-titre");
      if (title) {
        title.focus({ preventScroll: true });
      }
    }
  });
})();
