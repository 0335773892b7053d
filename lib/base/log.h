/* log.h -- one line per event on stderr: "<N>component level: message".
 *
 * The "<N>" syslog priority prefix lets journald (SyslogLevelPrefix=yes, the
 * default) file each line at the right level; on a terminal it is harmless.
 * The component and minimum level are set once by a daemon's main().
 */
#ifndef PMM_LOG_H
#define PMM_LOG_H

typedef enum { LOG_ERR = 3, LOG_WARN = 4, LOG_INFO = 6, LOG_DEBUG = 7 } log_level;

void log_init(const char *component, log_level min_level);
log_level log_level_parse(const char *name, log_level fallback);
void log_msg(log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
