/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The hooks link libxml2 statically (see configure.ac, --enable-static-hooks): a hook runs for every
 * event of every guest, and loading libxml2's shared dependencies (ICU and libstdc++) cost more
 * than the whole run. libxml2 converts encodings with iconv first and with ICU only as a fallback,
 * and libvirt only ever writes UTF-8, which libxml2 decodes natively. So ICU's converter is
 * replaced by one that refuses, exactly as if libxml2 had been built without ICU. The symbols are
 * declared by ICU's own header, so its version renaming (ucnv_open_72...) follows the system.
 */
#include "config.h"

#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>

UConverter *ucnv_open(const char *name, UErrorCode *err)
{
	*err = U_FILE_ACCESS_ERROR;
	return NULL;
}

void ucnv_close(UConverter *converter)
{
}

void ucnv_setToUCallBack(UConverter *converter, UConverterToUCallback newAction,
			 const void *newContext, UConverterToUCallback *oldAction,
			 const void **oldContext, UErrorCode *err)
{
	*err = U_UNSUPPORTED_ERROR;
}

void ucnv_setFromUCallBack(UConverter *converter, UConverterFromUCallback newAction,
			   const void *newContext, UConverterFromUCallback *oldAction,
			   const void **oldContext, UErrorCode *err)
{
	*err = U_UNSUPPORTED_ERROR;
}

void ucnv_convertEx(UConverter *targetCnv, UConverter *sourceCnv, char **target,
		    const char *targetLimit, const char **source, const char *sourceLimit,
		    UChar *pivotStart, UChar **pivotSource, UChar **pivotTarget,
		    const UChar *pivotLimit, UBool reset, UBool flush, UErrorCode *pErrorCode)
{
	*pErrorCode = U_UNSUPPORTED_ERROR;
}

void UCNV_FROM_U_CALLBACK_STOP(const void *context, UConverterFromUnicodeArgs *fromUArgs,
			       const UChar *codeUnits, int32_t length, UChar32 codePoint,
			       UConverterCallbackReason reason, UErrorCode *err)
{
}

void UCNV_TO_U_CALLBACK_STOP(const void *context, UConverterToUnicodeArgs *toUArgs,
			     const char *codeUnits, int32_t length, UConverterCallbackReason reason,
			     UErrorCode *err)
{
}
