// Package murmur3 implements the 32-bit x86 variant of MurmurHash3.
//
// The function is the one flag evaluators use for percentage bucketing, so the
// output must match the reference implementation bit for bit. [Sum32] and
// [SumString] hash one input; [Hash32] hashes a concatenation of strings
// without building it, and is a value type that never allocates.
package murmur3

import (
	"encoding/binary"
	"math/bits"
)

const (
	c1 = 0xcc9e2d51
	c2 = 0x1b873593
)

// Sum32 returns the MurmurHash3 x86 32-bit hash of data with the given seed.
func Sum32(data []byte, seed uint32) uint32 {
	h := seed
	n := len(data)
	for len(data) >= 4 {
		h = mixBlock(h, binary.LittleEndian.Uint32(data))
		data = data[4:]
	}
	return finish(h, tailBlock(data), n)
}

// SumString is [Sum32] over the bytes of s, without copying them.
func SumString(s string, seed uint32) uint32 {
	h := seed
	n := len(s)
	for len(s) >= 4 {
		h = mixBlock(h, uint32(s[0])|uint32(s[1])<<8|uint32(s[2])<<16|uint32(s[3])<<24)
		s = s[4:]
	}
	var k uint32
	switch len(s) {
	case 3:
		k ^= uint32(s[2]) << 16
		fallthrough
	case 2:
		k ^= uint32(s[1]) << 8
		fallthrough
	case 1:
		k ^= uint32(s[0])
	}
	return finish(h, k, n)
}

// Hash32 computes the hash of a sequence of writes as if they were one
// contiguous input. The zero value hashes with seed 0; use [New32] for another
// seed. It is not safe for concurrent use.
type Hash32 struct {
	h    uint32
	tail [4]byte
	nt   int // bytes buffered in tail
	n    int // total bytes written
}

// New32 returns a [Hash32] that starts from seed.
func New32(seed uint32) Hash32 { return Hash32{h: seed} }

// WriteString adds the bytes of s to the input.
func (d *Hash32) WriteString(s string) {
	d.n += len(s)
	if d.nt > 0 {
		for d.nt < 4 && len(s) > 0 {
			d.tail[d.nt] = s[0]
			d.nt++
			s = s[1:]
		}
		if d.nt < 4 {
			return
		}
		d.h = mixBlock(d.h, binary.LittleEndian.Uint32(d.tail[:]))
		d.nt = 0
	}
	for len(s) >= 4 {
		d.h = mixBlock(d.h, uint32(s[0])|uint32(s[1])<<8|uint32(s[2])<<16|uint32(s[3])<<24)
		s = s[4:]
	}
	d.nt = copy(d.tail[:], s)
}

// Sum32 returns the hash of everything written so far. It does not change the
// state, so more input may follow.
func (d *Hash32) Sum32() uint32 {
	return finish(d.h, tailBlock(d.tail[:d.nt]), d.n)
}

func mixBlock(h, k uint32) uint32 {
	k *= c1
	k = bits.RotateLeft32(k, 15)
	k *= c2
	h ^= k
	h = bits.RotateLeft32(h, 13)
	return h*5 + 0xe6546b64
}

func tailBlock(t []byte) uint32 {
	var k uint32
	switch len(t) {
	case 3:
		k ^= uint32(t[2]) << 16
		fallthrough
	case 2:
		k ^= uint32(t[1]) << 8
		fallthrough
	case 1:
		k ^= uint32(t[0])
	}
	return k
}

func finish(h, k uint32, n int) uint32 {
	if k != 0 || n&3 != 0 {
		k *= c1
		k = bits.RotateLeft32(k, 15)
		k *= c2
		h ^= k
	}
	h ^= uint32(n)
	h ^= h >> 16
	h *= 0x85ebca6b
	h ^= h >> 13
	h *= 0xc2b2ae35
	h ^= h >> 16
	return h
}
