/* doctor: what `kiosk doctor` calls fine, worth a look, or a problem, as
 * plain functions of the facts it gathers (the gathering is in the
 * command). A door opens at 19:00 with what passes here. */
#ifndef KIOSK_DOCTOR_H
#define KIOSK_DOCTOR_H

#include <stdbool.h>
#include <stdint.h>

enum doctor_level { DOCTOR_OK, DOCTOR_WARN, DOCTOR_FAIL };

#define DOCTOR_FREE_FAIL  (64ULL << 20)   /* below: a rush may not fit */
#define DOCTOR_FREE_WARN  (256ULL << 20)
#define DOCTOR_CLOCK_WARN 5000            /* ms off the hub before it is worth saying */

/* Free space on the database's file system. A check-in writes about six
 * pages (24 KB) of WAL, and in a rush with no quiet second the WAL grows
 * to 12,000 pages and more (about 50 MB: store.c's checkpoints) before it
 * starts over; with less than 64 MB a busy door may fill the disk. Under
 * 256 MB a door does not write its WAL ahead (store.c), and commits that
 * grow the file are slower. */
enum doctor_level doctor_free_space(uint64_t free_bytes);

/* Who may read the database or kiosk.conf (st_mode bits): guest data and
 * the hub token are for the kiosk's user only. */
enum doctor_level doctor_file_mode(unsigned int mode);
/* The same for kiosk.conf, which is private only when it holds a secret (a
 * token, a password, the PIN's hash); anyone changing it is always wrong. */
enum doctor_level doctor_conf_mode(unsigned int mode, bool holds_secret);
/* Whether chmod can put a file's mode right on its disk, from the mode a
 * new file made private (0600) beside it came out with: not on a disk that
 * keeps no modes of its own (a USB stick formatted FAT, exFAT or NTFS: the
 * mount gives every file the same mode, whatever chmod says). */
bool doctor_mode_kept(unsigned int fresh_mode);

/* This computer's clock against the hub's (ms to add to ours). The kiosk
 * records corrected times either way; a big offset still says the machine's
 * clock is wrong (badge dates, logs). */
enum doctor_level doctor_clock(int64_t offset_ms);

/* A time span as a person reads it, signed: "+12.3 s", "-3 min", "+2 h 5 min",
 * "+400 days" (not "+34560000.0 s"). */
#define DOCTOR_SPAN_BUF 32
void doctor_span(int64_t ms, char out[DOCTOR_SPAN_BUF]);

/* Records waiting to reach the hub: some are normal between rounds; many,
 * or one waiting for DOCTOR_WAITING_AGE_MS and ten rounds or more
 * (oldest_ms: how long the oldest has waited, 0 when none; every_ms: the
 * rounds' interval), mean the kiosk has not reached the hub for a while. */
#define DOCTOR_WAITING_WARN 1000
#define DOCTOR_WAITING_AGE_MS (2 * 60 * 1000)
enum doctor_level doctor_waiting(int64_t waiting, int64_t oldest_ms, int64_t every_ms);

/* [checkin] open_from / open_until against now (ms UTC, 0: not set). A
 * closing time already past refuses every guest ("this entrance is
 * closed"): a kiosk.conf kept from last year, or a wrong date. An opening
 * more than DOCTOR_OPENS_WARN away is worth a look (a wrong month or year);
 * one later today is what a door set up in the morning has. */
#define DOCTOR_OPENS_WARN (24LL * 3600 * 1000)
enum doctor_level doctor_gates(int64_t now, int64_t open_from, int64_t open_until);

/* The barcode scanner. kiosk.conf names no device for it: a USB scanner
 * is a keyboard (a keyboard wedge) and types into the door's window, so
 * what can be seen is whether a keyboard is plugged in over USB or
 * Bluetooth, from the kernel's list of input devices (the text of
 * /proc/bus/input/devices). Not whether that keyboard is the scanner, nor
 * what it sends after a code: a badge scanned at the door tells. */
#define DOCTOR_KEYBOARDS_LISTED 4
#define DOCTOR_KEYBOARD_NAME 64
struct doctor_keyboards {
	int devices;             /* input devices in the list (0: nothing known) */
	int n;                   /* USB and Bluetooth keyboards among them */
	char name[DOCTOR_KEYBOARDS_LISTED][DOCTOR_KEYBOARD_NAME]; /* the first n's names */
};
/* Read the list (word_bits: the bits of a word of its key bitmaps, those
 * of the reader's unsigned long). A keyboard is a device on USB (Bus=0003)
 * or Bluetooth (0005) whose keys include the digits, the letters and
 * Enter, as a scanner's do; a webcam's button, a mouse's side keys or a
 * headset's volume keys are not one, nor the laptop's own keyboard. */
void doctor_keyboards(const char *list, int word_bits, struct doctor_keyboards *kb);
/* The verdict: no keyboard at all is worth a look at a door without a
 * camera ([camera] device), where codes would be typed by hand; a list
 * that says nothing (no input device at all: a container) is not. */
enum doctor_level doctor_scanner(const struct doctor_keyboards *kb, bool camera);

/* The guest list's codes against the scanner's settings. A burst of keys
 * shorter than [scanner] min_length is taken for a person typing
 * (ui/scanner.h), whatever the scanner sends after it: its keys go into
 * what the screen shows (a search, the walk-in form), and a guest whose
 * code is that short is not checked in by a scan (one of letters only, or
 * of fewer than four characters, is not even looked up). An import from a
 * platform or a form with short codes of its own ("A7K", "0042") has them.
 * shorter: the list's codes shorter than min_length; shortest: the
 * shortest code's length (characters); suffix_none: [scanner] suffix =
 * none; scanner: a scanner may be in use (false: a door that reads with
 * its camera and has no USB keyboard plugged in). */
#define DOCTOR_NONE_MIN_LENGTH 4  /* shortest burst a suffix-less scan is told from typing by */
enum doctor_codes_advice {
	DOCTOR_CODES_FINE,       /* every code is long enough */
	DOCTOR_CODES_LOWER,      /* set min_length to .min_length */
	DOCTOR_CODES_SUFFIX,     /* codes too short to be told from typing by speed
	                          * alone: the scanner must end them (suffix = return) */
};
struct doctor_codes {
	enum doctor_level level;
	enum doctor_codes_advice advice;
	int min_length;          /* LOWER: the min_length the list needs */
};
void doctor_codes(int64_t shorter, int shortest, bool suffix_none, bool scanner,
    struct doctor_codes *out);

const char *doctor_level_word(enum doctor_level l);   /* "ok", "warn", "FAIL" */

#endif
