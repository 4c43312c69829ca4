"""Extract human-translated UI text per language from Debian packages, as training text for compass's language
identifier: .cache/lid-catalogues/text/{lang}.txt, one message per line, deduplicated, for ms, id, sw, ha, ig, yo, so,
sn, ny, mg, fil (Debian's "tl" and "fil" locales) and ky (Kyrgyz, "ky" and "ky_KG").

Sources: the Debian 12 (bookworm) binary packages named in PACKAGES, fetched with `apt-get download` into
.cache/lid-catalogues/debs (kept for the next run; the versions are written to .cache/lid-catalogues/versions.json).
Each .deb's data archive is streamed (dpkg-deb --fsys-tarfile) and only these members are read:
- gettext catalogues (.mo) under */LC_MESSAGES/ of the locale directories in LOCALE_DIRS (usr/share/locale/ms/...,
  usr/lib/libreoffice/program/resource/id/..., games' own trees): the msgstr of every entry, every plural form;
- Mozilla language packs (langpack-{id,ms,tl}@*.xpi, zip): Fluent .ftl values, attributes and selector variants,
  .properties and .dtd values, less access keys and styles;
- freedesktop .desktop/.directory Name/GenericName/Comment/Keywords[lang] and AppStream metainfo name/summary/p/li
  with xml:lang.
Each message loses placeholders (printf, Qt %1, Python %(x)s, {0}, { $x }, {{x}}, ${x}), markup, entities and
accelerator marks (&File, _File); whitespace is collapsed; one with fewer than two letters is dropped. So is a
"translation" equal (case-folded) to an English source string: any msgid, untranslated .desktop/metainfo value, or
en-US string of Firefox ESR and Thunderbird (read from their omni.ja: the language packs carry English wherever a
string is untranslated). Translator-credit entries are skipped.

Not used, because compass's evaluation set (test/fixtures/lid-eval-packages.json, docs/lid-eval.md) is built from
Django's catalogues, CLDR data and UDHR text: python3-django and every python3-django-* package (Django apps reuse
Django's strings), locales-all (glibc locale data, partly CLDR-derived), iso-codes, libgeonames-common and
console-data (country, language and place names; the held-out CLDR emoji names include flag names); for Kyrgyz also
xkb-data, libgweather-4-common and libmateweather-common (keyboard layout, country and place names), whose other
languages' catalogues are read. `--check-overlap` counts the evaluation strings that occur verbatim in the output; it
reads the evaluation set only to count, and nothing is filtered by it.

Licences: a gettext catalogue, .desktop or metainfo file is under its package's licence (mostly GPL-2.0+, GPL-3.0+,
LGPL-2.0+/2.1+; some MIT, BSD, CC-BY-SA, GFDL), recorded per package in .cache/lid-catalogues/licences.json from the
first License: field of usr/share/doc/{package}/copyright. Mozilla's language packs (firefox-esr-l10n-*,
thunderbird-l10n-*) and LibreOffice's (libreoffice-l10n-id): MPL-2.0.

Usage: python3 scripts/lid-build-catalogues.py [--check-overlap]
Python 3 standard library, apt-get, dpkg-deb. The first run downloads about 770 MB (apt must be allowed to download:
root); later runs reuse the .debs.
"""

from __future__ import annotations

import argparse
import html
import io
import json
import re
import shutil
import struct
import subprocess
import sys
import tarfile
import time
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "lid-catalogues"
DEBS = CACHE / "debs"
TEXT = CACHE / "text"
EVAL_SET = ROOT / "test" / "fixtures" / "lid-eval-packages.json"

# Locale directory -> compass language code. Script variants (ms@Arab ...) are not read.
LOCALE_DIRS = {
    "ms": "ms", "ms_MY": "ms",
    "id": "id", "id_ID": "id",
    "sw": "sw", "sw_KE": "sw", "sw_TZ": "sw",
    "ha": "ha", "ig": "ig", "yo": "yo", "so": "so", "sn": "sn", "ny": "ny", "mg": "mg",
    "tl": "fil", "tl_PH": "fil", "fil": "fil", "fil_PH": "fil",
    "ky": "ky", "ky_KG": "ky",
}
# Mozilla language pack locale -> compass code.
XPI_LOCALES = {"id": "id", "ms": "ms", "tl": "fil"}

# The packages whose en-US strings (inside omni.ja) are the English reference for the language packs, which carry
# English wherever a string is untranslated.
ENGLISH_REFERENCE_PACKAGES = ("firefox-esr", "thunderbird")

# Bounds: a .deb larger than MAX_DEB_BYTES is refused (firefox-esr and thunderbird are about 80 MB), a catalogue or
# archive member larger than MAX_MEMBER_BYTES is an error (Thunderbird's omni.ja is about 92 MB), and so is a list over
# MAX_TOTAL_DEB_BYTES.
MAX_DEB_BYTES = 96 << 20
MAX_MEMBER_BYTES = 128 << 20
MAX_TOTAL_DEB_BYTES = 1 << 30
APT_TIMEOUT_S = 600
EXTRACT_WORKERS = 2


# The packages, by name (apt gets bookworm's current version of each). Chosen from bookworm's Contents index (apt-file)
# and one trial extraction: every package of at most 8 MB carrying a catalogue for sw, ha, ig, yo, so, sn, ny, mg, tl
# or fil that yielded a message, ibus-typing-booster (10.6 MB, sw) and tuxmath-data (8.8 MB, fil), and every package
# of at most 3 MB (plus the Mozilla and LibreOffice language packs) yielding at least 100 ms or id messages; less the
# exclusions named in the docstring. Larger ones tried and left out for their poor yield: widelands-data (381 MB),
# blender-data (ha: 22 messages), cataclysm-dda-data (fil: 31), maliit-keyboard, tuxtype-data, mate-user-guide;
# wesnoth-1.16-data (146 MB, tl) was not tried.
ALL_LANGUAGE_PACKAGES = ENGLISH_REFERENCE_PACKAGES + (
    "accerciser", "aegisub-l10n", "aisleriot", "akregator", "alacarte", "almanah", "angelfish", "apostrophe",
    "apparmor", "apparmor-utils", "appstream", "appstream-util", "apt", "apt-utils", "aptitude-common",
    "arctica-greeter", "aria2", "ario-common", "ark", "aspell", "asunder", "at-spi2-common", "atril-common",
    "audacious", "audacious-plugins-data", "audacity-data", "awffull", "ayatana-indicator-datetime",
    "backintime-common", "baloo-kf5", "balsa-data", "baobab", "bash", "bijiben", "binutils-common",
    "birdfont-common", "bison", "bleachbit", "bluedevil", "blueman", "bookworm", "brasero-common",
    "budgie-control-center-data", "budgie-core", "budgie-extras-common", "burner-common", "buzztrax",
    "caja-actions-common", "caja-common", "caja-extensions-common", "caja-seahorse", "calligrawords-data",
    "catfish", "chatty", "checkinstall", "cheese-common", "cinnamon-desktop-data", "cinnamon-l10n", "clamtk",
    "claws-mail-i18n", "colord-data", "command-not-found", "compizconfig-settings-manager", "console-common",
    "coreutils", "cpio", "cpu-x", "cryptsetup-bin", "dasher-data", "dconf-editor", "debconf-i18n", "deja-dup",
    "deluge-common", "desktopfolder", "dialect", "dialog", "diffutils", "dino-im-common", "dnf-data",
    "dnsmasq-base", "dnsmasq-base-lua", "dolphin-emu-data", "dolphin-plugins", "dpkg", "drkonqi", "dselect",
    "dupeguru", "duplicity", "e2fsprogs-l10n", "easyeffects", "easytag", "elinks-data", "elisa", "endeavour-common",
    "engrampa-common", "eog", "eom-common", "epiphany-browser-data", "epoptes", "evince-common",
    "evolution-data-server-common", "evolution-ews", "file-roller", "filezilla-common", "findutils",
    "firefox-esr-l10n-id", "firefox-esr-l10n-ms", "firefox-esr-l10n-tl", "flatpak", "foliate", "folks-common",
    "font-manager-common", "four-in-a-row", "freeipa-common", "frogr-data", "galculator", "gamehub", "gawk",
    "gbrainy", "gcc-11-locales", "gcc-12-locales", "gconf2-common", "gcr", "gdebi-core", "gdm3", "geany-common",
    "geary", "gedit-common", "gedit-latex-plugin", "gedit-plugins-common", "geeqie-common", "genius-common",
    "gettext", "gftp-common", "ghex", "giara", "giggle", "gigolo", "git-cola", "gitg", "glabels-data", "glom",
    "gnome-applets-data", "gnome-bluetooth-3-common", "gnome-bluetooth-common", "gnome-boxes", "gnome-builder",
    "gnome-calculator", "gnome-calendar", "gnome-calls", "gnome-chess", "gnome-clocks", "gnome-color-manager",
    "gnome-commander-data", "gnome-contacts", "gnome-control-center-data", "gnome-desktop3-data",
    "gnome-dictionary", "gnome-disk-utility", "gnome-dvb-client", "gnome-firmware", "gnome-flashback-common",
    "gnome-font-viewer", "gnome-games-app", "gnome-initial-setup", "gnome-keyring", "gnome-maps", "gnome-menus",
    "gnome-music", "gnome-nettool", "gnome-nibbles", "gnome-packagekit-common", "gnome-panel-data", "gnome-photos",
    "gnome-power-manager", "gnome-screensaver", "gnome-screenshot", "gnome-session-common",
    "gnome-settings-daemon-common", "gnome-shell-common", "gnome-software-common", "gnome-system-log",
    "gnome-system-monitor", "gnome-system-tools", "gnome-terminal-data", "gnome-tetravex", "gnome-text-editor",
    "gnome-tweaks", "gnome-video-arcade", "gnubiff", "gnumeric-common", "gnupg-l10n", "gnupg1-l10n", "goobox",
    "gourmand", "gparted-common", "gperiodic", "gphoto2", "grep", "grilo-plugins-0.3", "grsync", "grub-common",
    "gsettings-desktop-schemas", "gtetrinet", "gtg", "gthumb-data", "gtkam", "gtranslator", "gucharmap", "gufw",
    "gupnp-tools", "gvfs-common", "hamster-time-tracker", "haruna", "hexchat-common", "homebank-data", "iagno",
    "ibus-typing-booster", "icewm-common", "isomaster", "jhbuild", "juk", "kaffeine", "karbon", "kcalc",
    "kde-cli-tools-data", "kde-spectacle", "kde-style-oxygen-qt5", "kdeconnect", "kdenetwork-filesharing",
    "kdeplasma-addons-data", "keditbookmarks", "kexi-data", "keyman", "kfourinline", "khotkeys-data", "kinfocenter",
    "kio-extras-data", "kipi-plugins-common", "kmix", "kmouth", "konq-plugins", "konsole", "korganizer",
    "krb5-auth-dialog", "krename", "kreversi", "kross", "ksystemstats", "ktexteditor-data", "kubrick",
    "kwalletmanager", "latexila-data", "latte-dock", "libalpm13", "libapt-pkg6.0", "libavahi-common-data",
    "libc-l10n", "libclutter-1.0-common", "libcwidget4", "libdnf2-common", "libexif12", "libexiv2-27", "libexo-2-0",
    "libfm-data", "libgammu-i18n", "libgda-5.0-common", "libgdk-pixbuf2.0-common", "libgimp2.0",
    "libgladeui-common", "libglib2.0-data", "libgnomecanvas2-common", "libgnutls30", "libgoa-1.0-common",
    "libgoffice-0.10-10-common", "libgoocanvas-2.0-common", "libgranite-common", "libgsf-1-common",
    "libgstreamer-plugins-base1.0-0", "libgstreamer1.0-0", "libgtk-4-common", "libgtk2.0-common",
    "libgtksourceview-3.0-common", "libgtksourceview-4-common", "libgtksourceview-5-common", "libgtop2-common",
    "libgweather-4-common", "libhandy-1-0", "libkf5akonadi-data", "libkf5akonadicalendar-data",
    "libkf5calendarsupport-data", "libkf5configwidgets-data", "libkf5filemetadata-data", "libkf5kcmutils-data",
    "libkf5kdegames7", "libkf5kdelibs4support-data", "libkf5khtml-data", "libkf5newstuff-data",
    "libkf5notifyconfig-data", "libkf5sysguard-data", "libkf5textwidgets-data", "libkf5xmlgui-data", "libkpmcore12",
    "libmatekbd-common", "libmatemixer-common", "libmateweather-common", "libnewt0.52", "libnma-common",
    "libosinfo-l10n", "libparted-i18n", "libreoffice-l10n-id", "libsugarext-data", "libtotem-plparser-common",
    "libuser", "libvirt-l10n", "libwnck-3-common", "libwnck-common", "libxfce4ui-common", "libzypp-common",
    "liferea-data", "light-locker", "login", "lokalize", "lollypop", "lomiri-clock-app", "lomiri-common",
    "lomiri-docviewer-app", "lomiri-filemanager-app", "lomiri-system-settings", "lxpanel-data", "lxsession-data",
    "lynx-common", "mailfromd", "mailutils-common", "make", "make-guile", "man-db", "marco-common",
    "mate-applets-common", "mate-calc-common", "mate-control-center-common", "mate-desktop-common",
    "mate-indicator-applet-common", "mate-media-common", "mate-menu", "mate-menus", "mate-netbook-common",
    "mate-notification-daemon-common", "mate-panel-common", "mate-polkit-common", "mate-power-manager-common",
    "mate-screensaver-common", "mate-sensors-applet-common", "mate-session-manager", "mate-settings-daemon-common",
    "mate-system-monitor-common", "mate-terminal-common", "mate-tweak", "mate-user-admin", "mate-user-share-common",
    "mate-utils-common", "mc-data", "mcomix", "meld", "menu", "menulibre", "metacity-common", "minetest-data",
    "minicom", "modem-manager-gui", "morph-browser", "mousepad", "mozo", "mtpaint", "muffin-common", "mutt",
    "mutter-common", "mypaint-data", "nano", "nautilus-data", "navit-data", "neochat", "neomutt",
    "network-manager-gnome", "network-manager-openconnect", "network-manager-openvpn", "network-manager-sstp",
    "ocrfeeder", "onboard-common", "onioncircuits", "openconnect", "orage-data", "orca", "packagekit",
    "pacman-package-manager", "parole", "partitionmanager", "pcmanfm", "pdfarranger", "php-horde", "php-horde-imp",
    "php-horde-nag", "php-horde-passwd", "picard", "pidgin-data", "pitivi", "planner-data",
    "plasma-discover-common", "plasma-firewall", "plasma-framework", "plasma-nm", "plasma-sdk", "plasma-settings",
    "plasma-systemmonitor", "pluma-common", "pluma-plugins-common", "po4a", "poedit-common", "polari",
    "powerdevil-data", "pppconfig", "print-manager", "pulseaudio", "pulseeffects", "python-apt-common",
    "python3-searx", "python3-sepolgen", "python3-sphinx-book-theme", "realmd", "rednotebook", "remmina-common",
    "rhythmbox-data", "ristretto", "rsibreak", "rygel", "safeeyes", "sawfish-data", "seahorse", "seahorse-daemon",
    "seahorse-nautilus", "secrets", "sed", "shared-mime-info", "shotwell-common", "shutter", "simple-scan",
    "slick-greeter", "snapper", "software-properties-common", "sound-juicer", "spacefm-common", "sphinx-common",
    "subdownloader", "sugar-browse-activity", "sugar-calculate-activity", "sugar-chat-activity",
    "sugar-imageviewer-activity", "sugar-jukebox-activity", "sugar-log-activity", "sugar-memorize-activity",
    "sugar-pippy-activity", "sugar-read-activity", "sugar-session", "sugar-terminal-activity",
    "sugar-write-activity", "synapse", "synaptic", "syncevolution-common", "sysprof",
    "system-config-printer-common", "tar", "tasksel", "terminator", "texinfo", "thunar-data", "thunar-vcs-plugin",
    "thunar-volman", "thunderbird-l10n-id", "thunderbird-l10n-ms", "tigervnc-viewer", "tilix-common", "tortoisehg",
    "totem-common", "tracker", "tracker-extract", "transmission-gtk", "tryton-client", "tuxmath-data",
    "tuxpaint-config", "tuxpaint-data", "udisks2", "uget", "ukui-media-common", "ukui-menus", "ukwm-common",
    "util-linux-locales", "vala-panel-common", "vinagre", "vino", "virt-viewer", "virtinst", "vlc-l10n",
    "webalizer", "webdruid", "wesnoth-1.16-dm", "wesnoth-1.16-dw", "wesnoth-1.16-ei", "wesnoth-1.16-sof",
    "wesnoth-1.16-sotbe", "wesnoth-1.16-thot", "wesnoth-1.16-ttb", "wget", "wmaker-common", "wx3.2-i18n",
    "xarchiver", "xfburn", "xfce4-dict", "xfce4-mailwatch-plugin", "xfce4-panel", "xfce4-power-manager-data",
    "xfce4-screenshooter", "xfce4-session", "xfce4-settings", "xfce4-terminal", "xfce4-weather-plugin",
    "xfce4-whiskermenu-plugin", "xfdesktop4-data", "xfwm4", "xkb-data", "xournalpp", "yakuake", "yelp", "zathura",
    "zenity-common", "zim", "zypper-common",
)
# Kyrgyz: the packages of bookworm's Contents index with a catalogue under locale/ky or locale/ky_KG
# (`apt-file search -x '/locale/ky(_KG)?/LC_MESSAGES/.*\.mo$'`: 140) that the list above lacks, less the exclusions
# named in the docstring; only their Kyrgyz is read, so that the other languages' text stays what the list above
# gives. The list above's Kyrgyz catalogues are read too.
KYRGYZ_PACKAGES = (
    "accountsservice", "akira", "ayatana-indicator-bluetooth", "ayatana-indicator-common",
    "ayatana-indicator-display", "ayatana-indicator-keyboard", "ayatana-indicator-messages",
    "ayatana-indicator-notifications", "ayatana-indicator-power", "ayatana-indicator-printers",
    "ayatana-indicator-session", "ayatana-indicator-sound", "ayatana-settings", "ayatana-webmail", "blender-data",
    "debian-edu-router-config", "debian-edu-router-fai", "easyssh", "fprintd", "fwupd", "gimp-data", "go-for-it",
    "gstreamer1.0-plugins-bad", "gstreamer1.0-plugins-good", "hunspell", "klavaro", "libendless-0-common",
    "libfilezilla-common", "libgranite-7-common", "libgtk-3-common", "libgtkspell0", "libgtkspell3-3-0",
    "libjson-glib-1.0-common", "libpam-runtime", "librda-common", "libvte-2.91-common", "libvte-common",
    "mate-user-guide", "policycoreutils", "pyhoca-gui", "remote-logon-service", "sysstat",
    "vala-panel-appmenu-common", "xdg-user-dirs", "xfce4-sntray-plugin-common",
)
PACKAGES = ALL_LANGUAGE_PACKAGES + KYRGYZ_PACKAGES
# Catalogues not read for a language although their package is listed for others: keyboard layout and weather
# location names are language, country and place names (the held-out CLDR emoji names include flag names).
SKIP_LANGUAGE_CATALOGUES = {"xkb-data": {"ky"}, "libgweather-4-common": {"ky"}, "libmateweather-common": {"ky"}}


def skipped_languages(pkg: str) -> set[str]:
    """The languages whose text is not read from the package."""
    if pkg in KYRGYZ_PACKAGES:
        return set(LOCALE_DIRS.values()) - {"ky"}
    return SKIP_LANGUAGE_CATALOGUES.get(pkg, set())

SKIP_MSGIDS = {
    "translator-credits", "translator_credits", "translator-credits:", "TRANSLATORS", "NAME OF TRANSLATORS",
    "EMAIL OF TRANSLATORS", "Your names", "Your emails", "_: NAME OF TRANSLATORS\nYour names",
    "_: EMAIL OF TRANSLATORS\nYour emails",
}

LOCALE_RE = re.compile(
    r"/(?P<loc>" + "|".join(sorted(LOCALE_DIRS, key=len, reverse=True)) + r")/LC_MESSAGES/[^/]+\.mo$"
)
XPI_RE = re.compile(r"/langpack-(?P<loc>" + "|".join(XPI_LOCALES) + r")@[^/]+\.xpi$")
OMNI_RE = re.compile(r"/omni\.ja$")
DESKTOP_FILE_RE = re.compile(r"^\./usr/share/.*\.(?:desktop|directory)$")
METAINFO_FILE_RE = re.compile(r"^\./usr/share/(?:metainfo|appdata)/[^/]+\.xml$")
DESKTOP_LINE_RE = re.compile(
    r"^(Name|GenericName|Comment|Keywords|X-GNOME-FullName)(?:\[([^\]]+)\])?\s*=\s*(.*)$", re.MULTILINE
)
METAINFO_RE = re.compile(r"<(name|summary|p|li)(?:\s+xml:lang=\"([^\"]+)\")?\s*>(.*?)</\1>", re.DOTALL)
COPYRIGHT_RE = re.compile(r"^\./usr/share/doc/(?P<pkg>[^/]+)/copyright$")

# Cleaning. Order matters: accelerators before entities (so "&amp;" stays an ampersand, "&File" loses its mark).
TAG_RE = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>")
PRINTF_RE = re.compile(
    r"%(?:\([^)\s]{1,40}\)|\d+\$)?[-+0#']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|ll|[hlLqjzt]|I64|I32)?"
    r"[diouxXeEfFgGaAcspSn@]"
    r"|%L?\d+|%\{[^}\s]{1,40}\}|%%"
    r"|%[<>']|%q?[A-Za-z](?![A-Za-z])"  # GCC's diagnostics: %qD, %<, %L, %C
)
URL_RE = re.compile(r"\b(?:https?|ftp)://[^\s<>\"']+|\b[\w.+-]+@[\w-]+\.[\w.-]+")
BRACE_RE = re.compile(r"\{\{[^{}]*\}\}|\$?\{[^{}]*\}")
DOLLAR_VAR_RE = re.compile(r"\$[A-Za-z_][\w]*\$?|#\d\b")
AMP_ACCEL_RE = re.compile(r"&&|&(?=[^\W\d_])(?![A-Za-z][\w.-]*;)")
ENTITY_RE = re.compile(r"&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z][\w.-]*);")
UNDERSCORE_ACCEL_RE = re.compile(r"(?<!\w)_(?=[^\W\d_])")
# What a removed placeholder leaves behind: "( )", "' '", "` '", "< >".
EMPTY_BRACKETS_RE = re.compile(r"\(\s*\)|\[\s*\]|<\s*>|'\s*'|\"\s*\"|`\s*'|“\s*”|‘\s*’|«\s*»|„\s*“")
SPACE_RE = re.compile(r"\s+")


def _entity(m: re.Match[str]) -> str:
    text = m.group(0)
    decoded = html.unescape(text)
    return "" if decoded == text else decoded  # an unknown entity (&brandShortName;) is a product name: dropped


def _amp(m: re.Match[str]) -> str:
    return "&" if m.group(0) == "&&" else ""


def clean(message: str) -> str | None:
    """The message's words without placeholders, markup or accelerator marks; None if fewer than two letters remain."""
    text = URL_RE.sub(" ", message)
    text = TAG_RE.sub(" ", text)
    for _ in range(3):  # nested placeables: { $a -> [x] { $b } }
        text, n = BRACE_RE.subn(" ", text)
        if not n:
            break
    text = PRINTF_RE.sub(lambda m: "%" if m.group(0) == "%%" else " ", text)
    text = DOLLAR_VAR_RE.sub(" ", text)
    text = AMP_ACCEL_RE.sub(_amp, text)
    text = ENTITY_RE.sub(_entity, text)
    text = UNDERSCORE_ACCEL_RE.sub("", text)
    text = EMPTY_BRACKETS_RE.sub(" ", text)
    text = SPACE_RE.sub(" ", text).strip().lstrip(":;, ")
    text = unicodedata.normalize("NFC", text)
    if sum(ch.isalpha() for ch in text) < 2:
        return None
    return text


def read_mo(data: bytes, where: str, english: set[str]) -> list[str]:
    """The translations (every plural form) of a GNU .mo catalogue, less untranslated and translator-credit entries;
    the English msgids are added to `english`."""
    if len(data) < 28:
        raise ValueError(f"{where}: not a .mo file ({len(data)} bytes)")
    magic = struct.unpack("<I", data[:4])[0]
    order = "<" if magic == 0x950412DE else ">" if magic == 0xDE120495 else None
    if order is None:
        raise ValueError(f"{where}: bad .mo magic {magic:#x}")
    _rev, count, orig_at, trans_at = struct.unpack(order + "4I", data[4:20])
    if orig_at + 8 * count > len(data) or trans_at + 8 * count > len(data):
        raise ValueError(f"{where}: .mo tables run past the end of the file")
    out = []
    for i in range(count):
        olen, ooff = struct.unpack(order + "2I", data[orig_at + 8 * i: orig_at + 8 * i + 8])
        tlen, toff = struct.unpack(order + "2I", data[trans_at + 8 * i: trans_at + 8 * i + 8])
        if ooff + olen > len(data) or toff + tlen > len(data):
            raise ValueError(f"{where}: .mo entry {i} runs past the end of the file")
        msgid = data[ooff: ooff + olen].decode("utf-8", "replace")
        if not msgid:
            continue  # the header
        msgid = msgid.split("\x04", 1)[-1]  # drop msgctxt
        sources = set(msgid.split("\x00"))
        if sources & SKIP_MSGIDS:
            continue
        english.update(sources)
        for form in data[toff: toff + tlen].decode("utf-8", "replace").split("\x00"):
            if form and form not in sources:
                out.append(form)
    return out


FTL_ENTRY_RE = re.compile(r"^(-?)([A-Za-z][\w-]*)\s*=\s?(.*)$")
FTL_ATTR_RE = re.compile(r"^\s+\.([A-Za-z][\w-]*)\s*=\s?(.*)$")
FTL_VARIANT_RE = re.compile(r"^\s*\*?\[[^\]]+\]\s?(.*)$")
SKIP_ATTRS = ("accesskey", "key", "commandkey", "keycode", "style", "width", "height", "title-style", "modifiers")


def read_ftl(text: str) -> list[str]:
    """Values of a Fluent file: messages, attributes, selector variants (each its own message). Terms (-brand-name)
    and their attributes are product names and are skipped; so are access keys and style attributes."""
    out: list[str] = []
    cur: list[str] = []
    in_term = False
    keep = False

    def flush() -> None:
        nonlocal cur
        if keep and cur:
            joined = " ".join(part.strip() for part in cur).strip()
            if joined:
                out.append(joined)
        cur = []

    for line in text.splitlines():
        stripped = line.strip()
        if line.startswith("#"):
            flush()
            keep = False
        elif m := FTL_ENTRY_RE.match(line):
            flush()
            in_term = bool(m.group(1))
            keep = not in_term
            cur = [m.group(3)]
        elif m := FTL_ATTR_RE.match(line):
            flush()
            keep = not in_term and not m.group(1).lower().endswith(SKIP_ATTRS)
            cur = [m.group(2)]
        elif stripped.endswith("->") or stripped == "}":
            flush()
        elif m := FTL_VARIANT_RE.match(line):
            flush()
            cur = [m.group(1)]
        elif line[:1].isspace() and stripped:
            cur.append(line)
        else:
            flush()
    flush()
    return out


PROPERTIES_RE = re.compile(r"^\s*([^#!\s][^=:\s]*)\s*[=:]\s?(.*)$")
DTD_RE = re.compile(r"<!ENTITY\s+([\w.-]+)\s+(?:\"([^\"]*)\"|'([^']*)')\s*>", re.DOTALL)
SKIP_KEY_SUFFIXES = (".accesskey", ".key", ".commandkey", ".keycode", ".style", ".width", ".height", "accesskey")


def _unescape_properties(value: str) -> str:
    value = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), value)
    return re.sub(r"\\(.)", lambda m: {"n": " ", "t": " "}.get(m.group(1), m.group(1)), value)


def read_properties(text: str) -> list[str]:
    """Values of a Java-style .properties file; PluralForm values ("#1 berkas;#1 berkas") split on ";"."""
    out = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        while line.endswith("\\") and i + 1 < len(lines):  # continuation
            i += 1
            line = line[:-1] + lines[i].lstrip()
        i += 1
        m = PROPERTIES_RE.match(line)
        if not m or m.group(1).lower().endswith(SKIP_KEY_SUFFIXES):
            continue
        value = _unescape_properties(m.group(2))
        out.extend(value.split(";") if "#1" in value or "#2" in value else [value])
    return out


def read_dtd(text: str) -> list[str]:
    return [
        m.group(2) if m.group(2) is not None else m.group(3)
        for m in DTD_RE.finditer(text)
        if not m.group(1).lower().endswith(SKIP_KEY_SUFFIXES)
    ]


def read_xpi(data: bytes, where: str, only: str | None = None) -> list[str]:
    """Every value in a Mozilla language pack (.ftl, .properties, .dtd inside the zip); with `only`, in the members
    whose path contains it (omni.ja's "en-US")."""
    out: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for info in z.infolist():
            name = info.filename
            if only is not None and only not in name:
                continue
            if info.file_size > MAX_MEMBER_BYTES:
                raise ValueError(f"{where}!{name}: {info.file_size} bytes, over the {MAX_MEMBER_BYTES}-byte bound")
            if name.endswith(".ftl"):
                out.extend(read_ftl(z.read(info).decode("utf-8", "replace")))
            elif name.endswith(".properties"):
                out.extend(read_properties(z.read(info).decode("utf-8", "replace")))
            elif name.endswith(".dtd"):
                out.extend(read_dtd(z.read(info).decode("utf-8", "replace")))
    return out


def read_desktop(text: str, english: set[str]) -> dict[str, list[str]]:
    """Translated Name/GenericName/Comment/Keywords of a freedesktop .desktop or .directory file, by language; the
    untranslated (English) values go to `english`."""
    out: dict[str, list[str]] = defaultdict(list)
    for key, loc, value in DESKTOP_LINE_RE.findall(text):
        values = [v for v in value.split(";") if v] if key == "Keywords" else [value]
        if not loc:
            english.update(values)
        elif loc in LOCALE_DIRS:
            out[LOCALE_DIRS[loc]].extend(values)
    return out


def read_metainfo(text: str, english: set[str]) -> dict[str, list[str]]:
    """Translated name/summary/description paragraphs of an AppStream metainfo file, by language; the untranslated
    (English) ones go to `english`."""
    out: dict[str, list[str]] = defaultdict(list)
    for _tag, loc, value in METAINFO_RE.findall(text):
        value = html.unescape(TAG_RE.sub(" ", value))
        if not loc:
            english.add(value)
        elif loc in LOCALE_DIRS:
            out[LOCALE_DIRS[loc]].append(value)
    return out


GPL_TEXT_RE = re.compile(
    r"GNU (Lesser |Library )?General Public\s+License(?:.{0,200}?version\s+(\d(?:\.\d)?))?(.{0,120}?later version)?",
    re.DOTALL | re.IGNORECASE,
)
OTHER_LICENCE_RE = re.compile(r"Mozilla Public License[^.\n]*|Apache License[^.\n]*|\bMIT\b|\bBSD\b[^.\n]*|Artistic")


def licence_of(copyright_text: str) -> str:
    """The first License: field of a Debian machine-readable copyright file (most packages' own files' licence);
    for a free-form file, the first GNU licence named ("GPL-2+"), else the first other well-known one."""
    for line in copyright_text.splitlines():
        if line.startswith("License:") and line[8:].strip():
            return line[8:].strip()
    if m := GPL_TEXT_RE.search(copyright_text):
        kind = {"lesser ": "LGPL", "library ": "LGPL"}.get((m.group(1) or "").lower(), "GPL")
        return kind + (f"-{m.group(2)}" if m.group(2) else "") + ("+" if m.group(3) else "")
    m = OTHER_LICENCE_RE.search(copyright_text)
    return m.group(0).strip() if m else "see copyright file"


def extract_deb(deb: Path) -> dict:
    """Stream the .deb's data archive (dpkg-deb --fsys-tarfile) and read its catalogues and language packs, without
    writing the rest of the package to disk."""
    fields = subprocess.run(
        ["dpkg-deb", "-f", str(deb), "Package", "Version"], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    meta = dict(line.split(": ", 1) for line in fields.strip().splitlines())
    pkg = meta["Package"]
    result = {"package": pkg, "version": meta["Version"], "licence": None, "copyright_link": None,
              "messages": defaultdict(list), "files": defaultdict(int), "english": set()}
    reference = pkg in ENGLISH_REFERENCE_PACKAGES
    skipped = skipped_languages(pkg)
    # Neither a package pinned for Kyrgyz alone nor a Kyrgyz catalogue adds to the English reference (Kyrgyz words are
    # read in Cyrillic only), so that the other languages' text stays what it was before Kyrgyz was added.
    english = set() if pkg in KYRGYZ_PACKAGES else result["english"]
    proc = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", str(deb)], stdout=subprocess.PIPE)
    try:
        with tarfile.open(fileobj=proc.stdout, mode="r|") as tar:
            for member in tar:
                name = member.name
                if m := COPYRIGHT_RE.match(name):
                    if m.group("pkg") == pkg and member.isfile():
                        text = tar.extractfile(member).read(1 << 20).decode("utf-8", "replace")
                        result["licence"] = licence_of(text)
                    continue
                if name.startswith(f"./usr/share/doc/{pkg}") and member.issym():
                    result["copyright_link"] = member.linkname
                    continue
                if (DESKTOP_FILE_RE.match(name) or METAINFO_FILE_RE.match(name)) and member.isfile():
                    if member.size > MAX_MEMBER_BYTES:
                        raise ValueError(f"{deb.name}:{name}: {member.size} bytes, over the bound")
                    text = tar.extractfile(member).read().decode("utf-8", "replace")
                    reader = read_metainfo if name.endswith(".xml") else read_desktop
                    for lang, values in reader(text, english).items():
                        if lang in skipped:
                            continue
                        result["messages"][lang].extend(values)
                        result["files"][lang] += 1
                    continue
                loc_m = LOCALE_RE.search(name)
                xpi_m = None if loc_m else XPI_RE.search(name)
                omni = reference and OMNI_RE.search(name)
                if not (loc_m or xpi_m or omni) or not member.isfile():
                    continue
                if member.size > MAX_MEMBER_BYTES:
                    raise ValueError(f"{deb.name}:{name}: {member.size} bytes, over the {MAX_MEMBER_BYTES}-byte bound")
                data = tar.extractfile(member).read()
                where = f"{deb.name}:{name}"
                if omni:
                    result["english"].update(read_xpi(data, where, only="en-US"))
                    continue
                if loc_m:
                    lang = LOCALE_DIRS[loc_m.group("loc")]
                    if lang in skipped:
                        continue
                    raw = read_mo(data, where, set() if lang == "ky" else english)
                else:
                    lang = XPI_LOCALES[xpi_m.group("loc")]
                    raw = read_xpi(data, where)
                result["files"][lang] += 1
                result["messages"][lang].extend(raw)
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    proc.stdout.close()
    if proc.wait(timeout=120) != 0:
        raise RuntimeError(f"dpkg-deb --fsys-tarfile {deb} failed with status {proc.returncode}")
    return result


def candidate_sizes(packages: Sequence[str]) -> dict[str, int]:
    """Each package's candidate .deb size from apt's lists (apt-get update first where apt knows none of them)."""
    def show() -> str:
        return subprocess.run(["apt-cache", "show", "--no-all-versions", *packages], capture_output=True, text=True,
                              check=False, timeout=APT_TIMEOUT_S).stdout  # an unknown name is reported below

    out = show()
    if "Package: " not in out:
        subprocess.run(["apt-get", "update"], check=True, timeout=APT_TIMEOUT_S)
        out = show()
    sizes: dict[str, int] = {}
    pkg = None
    for line in out.splitlines():
        if line.startswith("Package: "):
            pkg = line[9:].strip()
        elif line.startswith("Size: ") and pkg:
            sizes[pkg] = int(line[6:])
    missing = [p for p in packages if p not in sizes]
    if missing:
        sys.exit(f"lid-build-catalogues: apt knows no candidate for {', '.join(missing)} (run apt-get update?)")
    return sizes


def cached_deb(pkg: str) -> Path | None:
    found = sorted(DEBS.glob(f"{pkg}_*.deb"), key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None


def download(packages: Sequence[str]) -> list[Path]:
    DEBS.mkdir(parents=True, exist_ok=True)
    sizes = candidate_sizes(packages)
    total = sum(sizes.values())
    if total > MAX_TOTAL_DEB_BYTES:
        sys.exit(f"lid-build-catalogues: the list's .debs total {total} bytes, over the {MAX_TOTAL_DEB_BYTES} bound")
    for pkg, size in sizes.items():
        if size > MAX_DEB_BYTES:
            sys.exit(f"lid-build-catalogues: {pkg} is {size} bytes, over the {MAX_DEB_BYTES}-byte bound")
    todo = [p for p in packages if cached_deb(p) is None]
    if todo:
        print(f"downloading {len(todo)} packages ({sum(sizes[p] for p in todo) / 1e6:.0f} MB) into {DEBS}",
              file=sys.stderr)
        for i in range(0, len(todo), 200):
            subprocess.run(["apt-get", "download", "-q", *todo[i: i + 200]], cwd=DEBS, check=True,
                           timeout=APT_TIMEOUT_S, stdout=subprocess.DEVNULL)
    debs = []
    for pkg in packages:
        deb = cached_deb(pkg)
        if deb is None:
            sys.exit(f"lid-build-catalogues: apt-get download left no .deb for {pkg}")
        if deb.stat().st_size > MAX_DEB_BYTES:
            sys.exit(f"lid-build-catalogues: {deb} is over the {MAX_DEB_BYTES}-byte bound")
        debs.append(deb)
    return debs


def count_words(text: str) -> int:
    return len(text.split())


def check_overlap(texts: dict[str, list[str]]) -> None:
    """How many evaluation strings (per language) occur verbatim, case-folded, among the extracted messages."""
    items = json.loads(EVAL_SET.read_text(encoding="utf-8"))["items"]
    print("\noverlap with the evaluation set (verbatim, case-folded; counted, not filtered):")
    print(f"{'lang':<5} {'eval strings':>12} {'found':>6}  sources of the found ones")
    for lang, messages in sorted(texts.items()):
        have = {m.casefold() for m in messages}
        rows = [it for it in items if it["lang"] == lang]
        found = [it for it in rows if clean(it["text"]) and clean(it["text"]).casefold() in have]
        by_source: dict[str, int] = defaultdict(int)
        for it in found:
            by_source[it["source"]] += 1
        print(f"{lang:<5} {len(rows):>12} {len(found):>6}  {dict(by_source)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check-overlap", action="store_true",
                        help="count evaluation-set strings that occur verbatim in the output")
    args = parser.parse_args()
    started = time.monotonic()
    debs = download(PACKAGES)
    with ThreadPoolExecutor(EXTRACT_WORKERS) as pool:  # dpkg-deb decompresses in its own process
        results = list(pool.map(extract_deb, debs))
    # A "translation" equal to an English source string anywhere (a msgid, a Firefox/Thunderbird en-US value) is
    # dropped: language packs fall back to English, and catalogues copy English words and names through.
    english = {c.casefold() for res in results for e in res["english"] if (c := clean(e))}
    seen: dict[str, set[str]] = defaultdict(set)
    texts: dict[str, list[str]] = defaultdict(list)
    contributors: dict[str, dict[str, int]] = defaultdict(dict)
    for res in results:
        for lang, raw in res["messages"].items():
            added = 0
            for message in raw:
                cleaned = clean(message)
                if cleaned and cleaned not in seen[lang] and cleaned.casefold() not in english:
                    seen[lang].add(cleaned)
                    texts[lang].append(cleaned)
                    added += 1
            if added:
                contributors[lang][res["package"]] = added
    if TEXT.exists():
        shutil.rmtree(TEXT)
    TEXT.mkdir(parents=True)
    for lang, messages in texts.items():
        (TEXT / f"{lang}.txt").write_text("".join(m + "\n" for m in messages), encoding="utf-8")
    versions = {res["package"]: res["version"] for res in results}
    licences = {res["package"]: res["licence"] or (f"see {res['copyright_link']}" if res["copyright_link"] else None)
                for res in results}
    (CACHE / "versions.json").write_text(json.dumps(versions, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    (CACHE / "licences.json").write_text(json.dumps(licences, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    (CACHE / "contributors.json").write_text(
        json.dumps({lang: dict(sorted(c.items(), key=lambda kv: -kv[1])) for lang, c in contributors.items()},
                   indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{'lang':<5} {'packages':>8} {'messages':>9} {'words':>9}  top contributors (new messages)")
    for lang in sorted(set(LOCALE_DIRS.values()), key=lambda lang: -len(texts[lang])):
        messages = texts[lang]
        top = sorted(contributors[lang].items(), key=lambda kv: -kv[1])[:4]
        print(f"{lang:<5} {len(contributors[lang]):>8} {len(messages):>9} {sum(map(count_words, messages)):>9}  "
              + ", ".join(f"{p} {n}" for p, n in top))
    print(f"\n{len(results)} packages, {time.monotonic() - started:.0f} s; text in {TEXT}, versions in "
          f"{CACHE / 'versions.json'}, licences in {CACHE / 'licences.json'}, new messages per package and language "
          f"in {CACHE / 'contributors.json'}")
    if args.check_overlap:
        check_overlap(texts)


if __name__ == "__main__":
    main()
