namespace Pmh.Fuzz;

/// <summary>
/// Deterministic mutations of a corpus (the same seed gives the same inputs in the same order): bit flips, interesting
/// bytes, dictionary tokens inserted or written over, ranges deleted, duplicated or spliced from another corpus entry,
/// truncation. One to four mutations per input.
/// </summary>
internal sealed class Mutator(int seed, IReadOnlyList<byte[]> corpus, IReadOnlyList<byte[]> dictionary)
{
    private const int MaxLength = 64 * 1024;
    private static readonly byte[] Interesting = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0xFE, 0xEF, 0xBB, 0xBF, (byte)',', (byte)'"', (byte)'\n', (byte)'\r', (byte)';', (byte)'=', (byte)'-'];
    private readonly Random _random = new(seed);

    public byte[] Next()
    {
        var data = new List<byte>(corpus[_random.Next(corpus.Count)]);
        var count = 1 + _random.Next(4);
        for (var i = 0; i < count; i++)
        {
            Mutate(data);
        }

        return data.Count > MaxLength ? data.GetRange(0, MaxLength).ToArray() : data.ToArray();
    }

    private void Mutate(List<byte> data)
    {
        var at = data.Count == 0 ? 0 : _random.Next(data.Count);
        switch (_random.Next(9))
        {
            case 0 when data.Count > 0:
                data[at] ^= (byte)(1 << _random.Next(8));
                break;
            case 1 when data.Count > 0:
                data[at] = Interesting[_random.Next(Interesting.Length)];
                break;
            case 2:
                data.InsertRange(at, dictionary[_random.Next(dictionary.Count)]);
                break;
            case 3:
                var token = dictionary[_random.Next(dictionary.Count)];
                for (var i = 0; i < token.Length && at + i < data.Count; i++)
                {
                    data[at + i] = token[i];
                }

                break;
            case 4 when data.Count > 0:
                data.RemoveRange(at, Math.Min(data.Count - at, 1 + _random.Next(16)));
                break;
            case 5 when data.Count > 0:
                var length = Math.Min(data.Count - at, 1 + _random.Next(64));
                data.InsertRange(_random.Next(data.Count + 1), data.GetRange(at, length));
                break;
            case 6:
                var other = corpus[_random.Next(corpus.Count)];
                if (other.Length > 0)
                {
                    var from = _random.Next(other.Length);
                    data.InsertRange(at, other.AsSpan(from, Math.Min(other.Length - from, 1 + _random.Next(128))).ToArray());
                }

                break;
            case 7 when data.Count > 0:
                data.RemoveRange(at, data.Count - at);
                break;
            default:
                data.Insert(at, (byte)_random.Next(256));
                break;
        }
    }
}
