/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* util.c: the strict parsers every path and record relies on. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util.h"

#define SENTINEL UINT32_C(0xdeadbeef)

static void test_parse_u32(void **state)
{
	static const struct {
		const char *s;
		int r;
		uint32_t v;
	} t[] = {
		{"0", 0, 0},
		{"7", 0, 7},
		{"65535", 0, 65535},
		{"4294967295", 0, UINT32_MAX},
		{"4294967296", -ERANGE, 0},
		{"99999999999999999999", -ERANGE, 0},
		{"", -EINVAL, 0},
		{"07", -EINVAL, 0},
		{"00", -EINVAL, 0},
		{"-1", -EINVAL, 0},
		{"+1", -EINVAL, 0},
		{" 1", -EINVAL, 0},
		{"1 ", -EINVAL, 0},
		{"1\n", -EINVAL, 0},
		{"0x10", -EINVAL, 0},
		{"1a", -EINVAL, 0},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint32_t v = SENTINEL;

		assert_int_equal(parse_u32(t[i].s, &v), t[i].r);
		/* ret_* untouched on failure */
		assert_int_equal(v, t[i].r == 0 ? t[i].v : SENTINEL);
	}
	{
		uint32_t v = SENTINEL;

		assert_int_equal(parse_u32(NULL, &v), -EINVAL);
		assert_int_equal(v, SENTINEL);
	}
}

static void test_parse_u32_line(void **state)
{
	uint32_t v = SENTINEL;

	assert_int_equal(parse_u32_line("7\n", &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(parse_u32_line("8", &v), 0);
	assert_int_equal(v, 8);
	v = SENTINEL;
	assert_int_equal(parse_u32_line("\n", &v), -EINVAL);
	assert_int_equal(parse_u32_line("", &v), -EINVAL);
	assert_int_equal(parse_u32_line("7\n\n", &v), -EINVAL);
	assert_int_equal(parse_u32_line("abc\n", &v), -EINVAL);
	assert_int_equal(parse_u32_line("1234567890123456\n", &v), -ERANGE);
	assert_int_equal(v, SENTINEL);
}

static void test_parse_hex(void **state)
{
	static const struct {
		const char *s;
		uint32_t max;
		int r;
		uint32_t v;
	} t[] = {
		{"0x0", 0xff, 0, 0},
		{"0x01", 0xff, 0, 1},
		{"0xff", 0xff, 0, 0xff},
		{"0xFF", 0xff, 0, 0xff},
		{"0X1f", 0x1f, 0, 0x1f},
		{"0x0000", 0xffff, 0, 0},
		{"0xffff", 0xffff, 0, 0xffff},
		{"0x100", 0xff, -ERANGE, 0},
		{"0x20", 0x1f, -ERANGE, 0},
		{"0x8", 0x7, -ERANGE, 0},
		{"0x00000000001", 0xffff, -ERANGE, 0}, /* more than 8 digits */
		{"0x", 0xff, -EINVAL, 0},
		{"1", 0xff, -EINVAL, 0},
		{"01", 0xff, -EINVAL, 0},
		{"x1", 0xff, -EINVAL, 0},
		{"", 0xff, -EINVAL, 0},
		{"0xg", 0xff, -EINVAL, 0},
		{"0x1 ", 0xff, -EINVAL, 0},
		{" 0x1", 0xff, -EINVAL, 0},
		{"-0x1", 0xff, -EINVAL, 0},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint32_t v = SENTINEL;

		print_message("# parse_hex(\"%s\", %#x)\n", t[i].s, t[i].max);
		assert_int_equal(parse_hex(t[i].s, t[i].max, &v), t[i].r);
		assert_int_equal(v, t[i].r == 0 ? t[i].v : SENTINEL);
	}
	{
		uint32_t v = SENTINEL;

		assert_int_equal(parse_hex(NULL, 0xff, &v), -EINVAL);
		assert_int_equal(v, SENTINEL);
	}
}

static void test_pci_addr_from_fields(void **state)
{
	struct pci_addr a, keep = {.domain = 9, .bus = 9, .slot = 9, .function = 9};
	char buf[PCI_ADDR_STRLEN];

	assert_int_equal(pci_addr_from_fields("0x0000", "0x01", "0x10", "0x4", &a), 0);
	assert_string_equal(pci_addr_format(&a, buf), "0000:01:10.4");
	assert_int_equal(pci_addr_from_fields("0x0001", "0xff", "0x1f", "0x7", &a), 0);
	assert_string_equal(pci_addr_format(&a, buf), "0001:ff:1f.7");

	a = keep;
	/* the bad addresses libvirt never writes */
	assert_int_equal(pci_addr_from_fields("0x0000", "0x01", "0x10", "0x8", &a), -ERANGE);
	assert_int_equal(pci_addr_from_fields("0x0000", "1", "0x10", "0x0", &a), -EINVAL);
	assert_int_equal(pci_addr_from_fields("0x0000", "0x01", NULL, "0x0", &a), -EINVAL);
	assert_int_equal(pci_addr_from_fields(NULL, "0x01", "0x10", "0x0", &a), -EINVAL);
	assert_int_equal(pci_addr_from_fields("0x0000", "0x01", "0x20", "0x0", &a), -ERANGE);
	assert_int_equal(pci_addr_from_fields("0x10000", "0x01", "0x10", "0x0", &a), -ERANGE);
	assert_int_equal(pci_addr_from_fields("0x0000", "0x100", "0x10", "0x0", &a), -ERANGE);
	assert_true(pci_addr_equal(&a, &keep));
}

static void test_pci_addr_parse(void **state)
{
	static const char *const bad[] = {
		"",		"0000:01:10",	 "0000:01:10.8", "0000:01:20.0", "000:01:10.0",
		"00000:01:10.0", "0000-01:10.0", "0000:01:10:0", "0000:01:1g.0", "0000:01:10.0 ",
		"0000:0A:10.0", "../../etc",	 "0000:01:10.00",
	};
	struct pci_addr a, b, keep = {.domain = 9, .bus = 9, .slot = 9, .function = 9};
	char buf[PCI_ADDR_STRLEN];

	assert_int_equal(pci_addr_parse("0000:01:10.6", &a), 0);
	assert_int_equal(a.domain, 0);
	assert_int_equal(a.bus, 1);
	assert_int_equal(a.slot, 0x10);
	assert_int_equal(a.function, 6);
	assert_string_equal(pci_addr_format(&a, buf), "0000:01:10.6");
	assert_int_equal(pci_addr_parse("ffff:ff:1f.7", &b), 0);
	assert_string_equal(pci_addr_format(&b, buf), "ffff:ff:1f.7");
	assert_false(pci_addr_equal(&a, &b));
	assert_int_equal(pci_addr_parse("0000:01:10.6", &b), 0);
	assert_true(pci_addr_equal(&a, &b));

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		a = keep;
		print_message("# pci_addr_parse(\"%s\")\n", bad[i]);
		assert_int_equal(pci_addr_parse(bad[i], &a), -EINVAL);
		assert_true(pci_addr_equal(&a, &keep));
	}
	assert_int_equal(pci_addr_parse(NULL, &a), -EINVAL);
}

static void test_ifname_valid(void **state)
{
	static const char *const good[] = {"em1", "enp1s0", "enp1s0f1np1", "a", "eth-0_x@y",
					   "123456789012345"};
	static const char *const bad[] = {"",     ".",	      "..",	    "../../etc",
					  "a/b",  "em1:0",    "em 1",	    "em1\n",
					  "tab\t", "1234567890123456", "\x7f", "\x01x"};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(ifname_valid(good[i]));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("# ifname_valid(bad[%zu])\n", i);
		assert_false(ifname_valid(bad[i]));
	}
	assert_false(ifname_valid(NULL));
}

static void test_uuid_valid(void **state)
{
	assert_true(uuid_valid("56380527-2c38-4bbe-9d8c-506167e5a692"));
	assert_true(uuid_valid("56380527-2C38-4BBE-9D8C-506167E5A692"));
	assert_false(uuid_valid("56380527-2c38-4bbe-9d8c-506167e5a69"));
	assert_false(uuid_valid("56380527-2c38-4bbe-9d8c-506167e5a6922"));
	assert_false(uuid_valid("563805272c384bbe9d8c506167e5a692"));
	assert_false(uuid_valid("56380527-2c38-4bbe-9d8c_506167e5a692"));
	assert_false(uuid_valid("5638052g-2c38-4bbe-9d8c-506167e5a692"));
	assert_false(uuid_valid("../../../../../../etc/passwd/xxxxxxxx"));
	assert_false(uuid_valid(""));
	assert_false(uuid_valid(NULL));
}

static void test_text_is_single_line(void **state)
{
	assert_true(text_is_single_line(""));
	assert_true(text_is_single_line("pool 1 'é'"));
	assert_false(text_is_single_line("a\nb"));
	assert_false(text_is_single_line("a\rb"));
	assert_false(text_is_single_line("a\tb"));
	assert_false(text_is_single_line("a\x7f"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_u32),
		cmocka_unit_test(test_parse_u32_line),
		cmocka_unit_test(test_parse_hex),
		cmocka_unit_test(test_pci_addr_from_fields),
		cmocka_unit_test(test_pci_addr_parse),
		cmocka_unit_test(test_ifname_valid),
		cmocka_unit_test(test_uuid_valid),
		cmocka_unit_test(test_text_is_single_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
