/* The C libsctp baseline: the loops a C program writes with lksctp-tools' libsctp.
 *
 * Every message is one sctp_sendmsg() (libsctp: one sendmsg(2) with an SCTP_SNDRCV cmsg) and
 * every receive one sctp_recvmsg() (one recvmsg(2), the SCTP_SNDRCV cmsg decoded by libsctp),
 * on blocking one-to-one sockets. The Rust side creates and connects the sockets with the same
 * options as every other case, calls sb_setup() on each, and runs each loop on its own thread.
 * Each function returns 0, or a negative errno (-EPROTO for a message that is not what was sent).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/sctp.h>

/* sctp_recvmsg() reports stream and PPID through SCTP_SNDRCV, which the kernel attaches only
 * with the data_io event on; SCTP_RCVINFO (the other cases' cmsg) is turned off so each read
 * carries exactly the one cmsg libsctp asks for. */
int sb_setup(int fd)
{
    struct sctp_event_subscribe ev;
    int off = 0;
    memset(&ev, 0, sizeof ev);
    ev.sctp_data_io_event = 1;
    if (setsockopt(fd, IPPROTO_SCTP, SCTP_EVENTS, &ev, sizeof ev) < 0)
        return -errno;
    if (setsockopt(fd, IPPROTO_SCTP, SCTP_RECVRCVINFO, &off, sizeof off) < 0)
        return -errno;
    return 0;
}

/* Sends n messages of len bytes on stream sid with PPID ppid (host order). */
int sb_send_n(int fd, const void *buf, size_t len, uint64_t n, uint16_t sid, uint32_t ppid)
{
    for (uint64_t i = 0; i < n; i++) {
        if (sctp_sendmsg(fd, buf, len, NULL, 0, htonl(ppid), 0, sid, 0, 0) < 0)
            return -errno;
    }
    return 0;
}

/* Receives n messages, each of exactly len bytes, whole (MSG_EOR). */
int sb_recv_n(int fd, void *buf, size_t cap, uint64_t n, size_t len)
{
    struct sctp_sndrcvinfo sinfo;
    for (uint64_t i = 0; i < n; i++) {
        int flags = 0;
        ssize_t r = sctp_recvmsg(fd, buf, cap, NULL, 0, &sinfo, &flags);
        if (r < 0)
            return -errno;
        if ((size_t)r != len || !(flags & MSG_EOR))
            return -EPROTO;
    }
    return 0;
}

/* Echoes every message back on its stream with its PPID until the peer shuts down. */
int sb_echo(int fd, void *buf, size_t cap)
{
    struct sctp_sndrcvinfo sinfo;
    for (;;) {
        int flags = 0;
        ssize_t r = sctp_recvmsg(fd, buf, cap, NULL, 0, &sinfo, &flags);
        if (r < 0)
            return -errno;
        if (r == 0)
            return 0;
        if (!(flags & MSG_EOR))
            return -EPROTO;
        /* sinfo_ppid is in network order, as sctp_sendmsg() takes it. */
        if (sctp_sendmsg(fd, buf, (size_t)r, NULL, 0, sinfo.sinfo_ppid, 0,
                         sinfo.sinfo_stream, 0, 0) < 0)
            return -errno;
    }
}

/* n request/response round trips of len bytes. */
int sb_pingpong(int fd, const void *req, size_t len, void *buf, size_t cap, uint64_t n,
                uint16_t sid, uint32_t ppid)
{
    struct sctp_sndrcvinfo sinfo;
    for (uint64_t i = 0; i < n; i++) {
        int flags = 0;
        if (sctp_sendmsg(fd, req, len, NULL, 0, htonl(ppid), 0, sid, 0, 0) < 0)
            return -errno;
        ssize_t r = sctp_recvmsg(fd, buf, cap, NULL, 0, &sinfo, &flags);
        if (r < 0)
            return -errno;
        if ((size_t)r != len || !(flags & MSG_EOR) || sinfo.sinfo_stream != sid)
            return -EPROTO;
    }
    return 0;
}
