using System.Text;

namespace AgenteVendedor.Language;

/// <summary>
/// Spanish as it sounds, for matching words customers spell as they hear them: b/v, c/s/z, ll/y,
/// silent h, k/qu/c, g/j before e and i, doubled letters. Works on folded words (lowercase, no accents).
/// </summary>
public static class Phonetic
{
    public static string Key(string folded)
    {
        var w = folded;
        var key = new StringBuilder(w.Length);
        for (var i = 0; i < w.Length; i++)
        {
            var c = w[i];
            var next = i + 1 < w.Length ? w[i + 1] : '\0';
            switch (c)
            {
                case 'v' or 'b':
                    Append('b');
                    break;
                case 'z':
                    Append('s');
                    break;
                case 'c' when next is 'e' or 'i':
                    Append('s');
                    break;
                case 'c' when next == 'h':
                    Append('x');
                    i++;
                    break;
                case 'c' or 'k':
                    Append('k');
                    break;
                case 'q' when next == 'u':
                    Append('k');
                    i++;
                    break;
                case 'q':
                    Append('k');
                    break;
                case 'g' when next is 'e' or 'i':
                    Append('j');
                    break;
                case 'g' when next == 'u' && i + 2 < w.Length && w[i + 2] is 'e' or 'i':
                    Append('g');
                    i++;
                    break;
                case 'l' when next == 'l':
                    Append('y');
                    i++;
                    break;
                case 'h':
                    break;
                case 'y' when i == w.Length - 1 && i > 0:
                    Append('i');
                    break;
                case 'x' when i == 0:
                    Append('s');
                    break;
                case 'w':
                    Append('u');
                    break;
                default:
                    Append(c);
                    break;
            }
        }

        return key.ToString();

        void Append(char c)
        {
            // Doubled letters sound once ("taladdro", "carrito" and "carito" meet).
            if (key.Length == 0 || key[^1] != c)
            {
                key.Append(c);
            }
        }
    }

    /// <summary>
    /// Whether two words are one slip apart once spelled as they sound: the same key, or keys one
    /// insertion, deletion, substitution or swap apart. Short words must match exactly.
    /// </summary>
    public static bool Near(string a, string b)
    {
        var ka = Key(a);
        var kb = Key(b);
        if (ka == kb)
        {
            return true;
        }

        return Math.Min(ka.Length, kb.Length) >= 5 && WithinOneEdit(ka, kb);
    }

    public static bool WithinOneEdit(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 1)
        {
            return false;
        }

        if (a.Length == b.Length)
        {
            var diff = -1;
            for (var i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i])
                {
                    if (diff >= 0)
                    {
                        // Two differences: only a swap of neighbours counts as one slip.
                        return diff == i - 1 && a[diff] == b[i] && a[i] == b[diff] && a[(i + 1)..] == b[(i + 1)..];
                    }

                    diff = i;
                }
            }

            return true;
        }

        var (shorter, longer) = a.Length < b.Length ? (a, b) : (b, a);
        var skipped = false;
        for (int i = 0, j = 0; i < shorter.Length; j++)
        {
            if (shorter[i] == longer[j])
            {
                i++;
                continue;
            }

            if (skipped)
            {
                return false;
            }

            skipped = true;
        }

        return true;
    }

    /// <summary>The key with each one letter left out: two keys one slip apart share one of these (or the key itself).</summary>
    public static IEnumerable<string> Deletions(string key)
    {
        for (var i = 0; i < key.Length; i++)
        {
            yield return key.Remove(i, 1);
        }
    }
}
