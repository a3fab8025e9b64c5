/* Small helpers for the staff forms. Served as a file: the CSP forbids inline scripts.
 *
 * - [data-copy-target="id"] buttons copy the text of #id (navigator.clipboard, or
 *   else select the text and execCommand('copy')), then say data-copied-label.
 * - input[data-slug-from="id"] is filled from #id's text while typing, as long
 *   as the person has not typed in it themselves.
 * - [data-shown-when="name=value"] is shown only while the radio button or
 *   select "name" has that value (several values: "name=a|b").
 * Everything works without this file; it only saves typing.
 */
(function () {
  'use strict';

  function textOf(element) {
    return ('value' in element && element.tagName !== 'BUTTON') ? element.value
      : element.textContent.trim();
  }

  function selectText(element) {
    if (typeof element.select === 'function') {
      element.focus();
      element.select();
      return;
    }
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function fallbackCopy(element) {
    selectText(element);
    try {
      return document.execCommand('copy');
    } catch (error) {
      return false;  // the text stays selected: the person copies it by hand
    }
  }

  function setUpCopy(button) {
    var target = document.getElementById(button.getAttribute('data-copy-target'));
    if (!target) {
      return;
    }
    var label = button.textContent;
    var timer = null;
    function done(copied) {
      if (!copied) {
        return;  // the text is selected; nothing to announce
      }
      button.textContent = button.getAttribute('data-copied-label') || label;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { button.textContent = label; }, 2500);
    }
    button.addEventListener('click', function () {
      var text = textOf(target);
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { done(true); },
          function () { done(fallbackCopy(target)); });
      } else {
        done(fallbackCopy(target));
      }
    });
  }

  var LIGATURES = { 'œ': 'oe', 'Œ': 'oe', 'æ': 'ae', 'Æ': 'ae', 'ß': 'ss', 'ø': 'o', 'Ø': 'o',
                    'ł': 'l', 'Ł': 'l', 'đ': 'd', 'Đ': 'd' };

  /* The same rule as giveaway.partners.service.slugify (the server fills an empty slug). */
  function slugify(text, maxLength) {
    var slug = text.replace(/[œŒæÆßøØłŁđĐ]/g, function (c) { return LIGATURES[c]; })
      .normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
      .toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
    return slug.slice(0, maxLength).replace(/-+$/, '');
  }

  function setUpSlug(slugInput) {
    var source = document.getElementById(slugInput.getAttribute('data-slug-from'));
    if (!source || slugInput.readOnly) {
      return;
    }
    var maxLength = parseInt(slugInput.getAttribute('maxlength'), 10) || 64;
    // Typed by the person (or sent back with an error) unless it is what the name gives.
    var edited = slugInput.value !== '' && slugInput.value !== slugify(source.value, maxLength);
    slugInput.addEventListener('input', function () {
      edited = slugInput.value !== '';
    });
    source.addEventListener('input', function () {
      if (!edited) {
        slugInput.value = slugify(source.value, maxLength);
      }
    });
  }

  function setUpShownWhen(block) {
    var rule = block.getAttribute('data-shown-when').split('=');
    var name = rule[0];
    var values = rule[1].split('|');
    var form = block.closest('form') || document;
    var controls = form.querySelectorAll('[name="' + name + '"]');
    function current() {
      for (var i = 0; i < controls.length; i++) {
        var control = controls[i];
        if (control.type === 'radio' || control.type === 'checkbox') {
          if (control.checked) {
            return control.value;
          }
        } else {
          return control.value;
        }
      }
      return '';
    }
    function update() {
      block.hidden = values.indexOf(current()) === -1;
    }
    for (var i = 0; i < controls.length; i++) {
      controls[i].addEventListener('change', update);
    }
    update();
  }

  /* New account: an invitation for a partner account, a password for the other roles. */
  function setUpAccountForm(role) {
    var form = role.form;
    var invite = form && form.querySelector('input[name="setup"][value="invite"]');
    var password = form && form.querySelector('input[name="setup"][value="password"]');
    if (!invite || !password) {
      return;
    }
    function update() {
      var partner = role.value === 'partner';
      invite.disabled = !partner;
      (partner ? invite : password).checked = true;
      password.dispatchEvent(new Event('change', { bubbles: true }));
    }
    role.addEventListener('change', update);
    if (role.value !== 'partner') {
      invite.disabled = true;
    }
  }

  function start() {
    document.querySelectorAll('select[name="role"]').forEach(setUpAccountForm);
    document.querySelectorAll('[data-copy-target]').forEach(setUpCopy);
    document.querySelectorAll('input[data-slug-from]').forEach(setUpSlug);
    document.querySelectorAll('[data-shown-when]').forEach(setUpShownWhen);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
