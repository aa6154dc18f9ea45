#!/usr/bin/python3
"""screensaver.py: a fake org.freedesktop.ScreenSaver on the session bus.

The interface GNOME's settings daemon (gsd-screensaver-proxy, which passes
it on to gnome-session as an idle inhibitor) and KDE Plasma serve, and
which SDL asks to keep the screen on while the door's window is open. Every
Inhibit is written to LOG as "Inhibit APP: REASON" and answered with cookie
42, every UnInhibit as "UnInhibit COOKIE"; "ready" once the name is ours.
Debian's python3-dbus and python3-gi.

    DBUS_SESSION_BUS_ADDRESS=... screensaver.py LOG
"""
import sys

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

IFACE = "org.freedesktop.ScreenSaver"


class ScreenSaver(dbus.service.Object):
    def __init__(self, bus, path, log):
        super().__init__(bus, path)
        self.log = log

    @dbus.service.method(IFACE, in_signature="ss", out_signature="u")
    def Inhibit(self, app, reason):
        self.log.write("Inhibit %s: %s\n" % (app, reason))
        return 42

    @dbus.service.method(IFACE, in_signature="u")
    def UnInhibit(self, cookie):
        self.log.write("UnInhibit %d\n" % cookie)

    @dbus.service.method(IFACE)
    def SimulateUserActivity(self):
        pass


def main():
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    bus = dbus.SessionBus()
    log = open(sys.argv[1], "a", buffering=1)
    name = dbus.service.BusName(IFACE, bus)  # kept: the name is ours while it lives
    ScreenSaver(bus, "/org/freedesktop/ScreenSaver", log)
    ScreenSaver(bus, "/ScreenSaver", log)
    log.write("ready\n")
    GLib.MainLoop().run()
    del name


if __name__ == "__main__":
    main()
