package murmur3

import (
	"math/rand/v2"
	"testing"
)

// Published MurmurHash3_x86_32 test vectors (SMHasher reference output, as
// collected in widely cited verification tables).
var vectors = []struct {
	name string
	in   string
	seed uint32
	want uint32
}{
	{"empty seed 0", "", 0, 0},
	{"empty seed 1", "", 1, 0x514E28B7},
	{"empty seed max", "", 0xffffffff, 0x81F16F39},
	{"ff x4", "\xff\xff\xff\xff", 0, 0x76293B50},
	{"4 bytes", "!Ce\x87", 0, 0xF55B516B},
	{"4 bytes seeded", "!Ce\x87", 0x5082EDEE, 0x2362F9DE},
	{"3 bytes", "!Ce", 0, 0x7E4A8634},
	{"2 bytes", "!C", 0, 0xA0F7B07A},
	{"1 byte", "!", 0, 0x72661CF4},
	{"zero x4", "\x00\x00\x00\x00", 0, 0x2362F9DE},
	{"zero x3", "\x00\x00\x00", 0, 0x85F0B427},
	{"zero x2", "\x00\x00", 0, 0x30F4C306},
	{"zero x1", "\x00", 0, 0x514E28B7},
	{"hello seed 1234", "Hello, world!", 1234, 0xFAF6CDB3},
	{"fox seed 0", "The quick brown fox jumps over the lazy dog", 0, 0x2E4FF723},
	{"aaaa seeded", "aaaa", 0x9747b28c, 0x5A97808A},
	{"aaa seeded", "aaa", 0x9747b28c, 0x283E0130},
	{"aa seeded", "aa", 0x9747b28c, 0x5D211726},
	{"a seeded", "a", 0x9747b28c, 0x7FA09EA6},
	{"abcd seeded", "abcd", 0x9747b28c, 0xF0478627},
	{"abc seeded", "abc", 0x9747b28c, 0xC84A62DD},
	{"ab seeded", "ab", 0x9747b28c, 0x74875592},
	{"hello seeded", "Hello, world!", 0x9747b28c, 0x24884CBA},
	{"fox seeded", "The quick brown fox jumps over the lazy dog", 0x9747b28c, 0x2FA826CD},
}

func TestVectors(t *testing.T) {
	for _, v := range vectors {
		t.Run(v.name, func(t *testing.T) {
			if got := Sum32([]byte(v.in), v.seed); got != v.want {
				t.Errorf("Sum32(%q, %#x) = %#08x, want %#08x", v.in, v.seed, got, v.want)
			}
			if got := SumString(v.in, v.seed); got != v.want {
				t.Errorf("SumString(%q, %#x) = %#08x, want %#08x", v.in, v.seed, got, v.want)
			}
			h := New32(v.seed)
			for i := range len(v.in) {
				h.WriteString(v.in[i : i+1])
			}
			if got := h.Sum32(); got != v.want {
				t.Errorf("Hash32 byte-by-byte(%q) = %#08x, want %#08x", v.in, got, v.want)
			}
		})
	}
}

func TestHash32SplitsAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		b := make([]byte, r.IntN(40))
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		s := string(b)
		seed := r.Uint32()
		want := Sum32(b, seed)
		i := r.IntN(len(s) + 1)
		j := i + r.IntN(len(s)-i+1)
		h := New32(seed)
		h.WriteString(s[:i])
		h.WriteString(s[i:j])
		h.WriteString(s[j:])
		if got := h.Sum32(); got != want {
			t.Fatalf("split %d/%d of %q: got %#x want %#x", i, j, s, got, want)
		}
	}
}

func FuzzSum32(f *testing.F) {
	f.Add("flag-keyuser", uint32(0), 3)
	f.Fuzz(func(t *testing.T, s string, seed uint32, cut int) {
		want := Sum32([]byte(s), seed)
		if got := SumString(s, seed); got != want {
			t.Fatalf("SumString = %#x, Sum32 = %#x", got, want)
		}
		if cut < 0 {
			cut = -cut
		}
		if cut < 0 { // math.MinInt
			cut = 0
		}
		cut %= len(s) + 1
		h := New32(seed)
		h.WriteString(s[:cut])
		h.WriteString(s[cut:])
		if got := h.Sum32(); got != want {
			t.Fatalf("Hash32 split at %d = %#x, want %#x", cut, got, want)
		}
	})
}

func BenchmarkHash32(b *testing.B) {
	b.ReportAllocs()
	var sink uint32
	for b.Loop() {
		h := New32(0)
		h.WriteString("checkout-v2")
		h.WriteString("user-1234567890")
		sink += h.Sum32()
	}
	_ = sink
}
