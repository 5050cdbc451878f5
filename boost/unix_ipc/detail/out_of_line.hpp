//
// Copyright (c) 2026 The Boost.UnixIpc authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE_1_0.txt or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef BOOST_UNIX_IPC_DETAIL_OUT_OF_LINE_HPP
#define BOOST_UNIX_IPC_DETAIL_OUT_OF_LINE_HPP

#include <cstddef>
#include <functional>
#include <vector>

namespace boost {
namespace unix_ipc {
namespace detail {

// Blocks an ipc_oarchive leaves out of its byte vector: each belongs at
// `offset` of the payload (before the bytes written after it), and the
// sender writes it from `data` with its own iovec. Only memory of the object
// [first, last) qualifies: the caller keeps that object alive and unchanged
// until the frame is written.
struct out_of_line
{
    static constexpr std::size_t threshold = 16 * 1024;

    struct block
    {
        std::size_t offset;
        const void* data;
        std::size_t size;
        const void* owner;
        // Whether owner still holds data..data+size (null: an array, which
        // cannot move).
        bool (*unchanged)(const void* owner, const void* data, std::size_t size) noexcept;
    };

    const void* first = nullptr;
    const void* last = nullptr;
    std::vector<block> blocks;

    bool contains(const void* p) const noexcept
    {
        std::less<const void*> less;
        return !less(p, first) && less(p, last);
    }

    // After encoding: false when a save() changed the value while writing it
    // (a mutable member reused as scratch, a swap with a local), so that a
    // block no longer holds what was written or two blocks share memory.
    // The caller then encodes again with every block copied.
    bool still_valid() const noexcept
    {
        std::less<const void*> less;
        for (std::size_t i = 0; i < blocks.size(); ++i)
        {
            const block& b = blocks[i];
            if (b.unchanged && !b.unchanged(b.owner, b.data, b.size))
                return false;
            const auto* end = static_cast<const char*>(b.data) + b.size;
            for (std::size_t j = 0; j < i; ++j)
            {
                const auto* end_j = static_cast<const char*>(blocks[j].data) + blocks[j].size;
                if (less(b.data, end_j) && less(blocks[j].data, end))
                    return false;
            }
        }
        return true;
    }

    template <class Container>
    static bool same_storage(const void* owner, const void* data, std::size_t size) noexcept
    {
        const auto& c = *static_cast<const Container*>(owner);
        return static_cast<const void*>(c.data()) == data && c.size() * sizeof(*c.data()) == size;
    }
};

} // namespace detail
} // namespace unix_ipc
} // namespace boost

#endif
