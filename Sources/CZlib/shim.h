// The system zlib: raw deflate and inflate for the zip entries of .xlsx workbooks.
#include <zlib.h>
