/* A stand-in for Windows' bcryptprimitives.dll, which Wine 8 lacks: Go's
 * runtime (1.24 and later) loads it for ProcessPrng. The function fills the
 * buffer from the system's random generator (advapi32's RtlGenRandom,
 * exported as SystemFunction036). For running tests under Wine only; a
 * real Windows has the DLL. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
