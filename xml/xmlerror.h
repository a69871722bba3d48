/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The public face of xml/: what its callers need besides the document structs. No libxml2 type
 * reaches past xml/ (xmlutil.h, which includes it, is private to the .c files of xml/).
 */

/* Error text for the caller to log: xml/ never logs. Control characters are replaced by '?'. */
struct xml_error {
	char msg[512];
};
