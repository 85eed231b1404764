/*
 * fx_banned.h - functions that are easy to misuse, made compile errors
 * (after git's banned.h). Use the bounded or reentrant alternative.
 */
#ifndef FX_BANNED_H
#define FX_BANNED_H

#define FX_BANNED(func) sorry_##func##_is_banned_in_fx

#undef strcpy
#define strcpy(x, y) FX_BANNED(strcpy)
#undef strcat
#define strcat(x, y) FX_BANNED(strcat)
#undef sprintf
#define sprintf(...) FX_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) FX_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) FX_BANNED(strtok)
#undef gmtime
#define gmtime(t) FX_BANNED(gmtime)
#undef localtime
#define localtime(t) FX_BANNED(localtime)
#undef ctime
#define ctime(t) FX_BANNED(ctime)
#undef asctime
#define asctime(t) FX_BANNED(asctime)

#endif
