using System.Globalization;
using AgenteVendedor.Retrieval;

namespace AgenteVendedor.Language;

/// <summary>What a word or expression says in a shop conversation (one expression may say several things).</summary>
[Flags]
public enum Cue : long
{
    None = 0,
    Want = 1L << 0,
    Find = 1L << 1,
    Remove = 1L << 2,
    Cancel = 1L << 3,
    Checkout = 1L << 4,
    HandOff = 1L << 5,
    Price = 1L << 6,
    Stock = 1L << 7,
    Total = 1L << 8,
    Cart = 1L << 9,
    Change = 1L << 10,
    Available = 1L << 11,
    More = 1L << 12,
    Cheap = 1L << 13,
    Expensive = 1L << 14,
    Ordinal = 1L << 15,
    Pronoun = 1L << 16,
    About = 1L << 17,
    Yes = 1L << 18,
    No = 1L << 19,
    Greet = 1L << 20,
    Thanks = 1L << 21,
    Praise = 1L << 22,
    Bye = 1L << 23,
    Filler = 1L << 24,
    Faq = 1L << 25,
    Number = 1L << 26,
    Unit = 1L << 27,
    Measure = 1L << 28,
    Each = 1L << 29,

    /// <summary>Talk that carries no request: greetings, thanks, praise, farewells, fillers.</summary>
    Chat = Greet | Thanks | Praise | Bye | Filler,
}

/// <summary>An expression found in an utterance: words [Start, Start+Length), what it says, and its number (ordinals, number words).</summary>
public readonly record struct Span(int Start, int Length, Cue Cue, int Value)
{
    public int End => Start + Length;
}

/// <summary>
/// The conversational Spanish of shop chats, read from data files: intents (intenciones.tsv), slang by
/// country (jerga.tsv), number words (numeros.tsv) and packaging units (unidades.tsv). Finds the
/// expressions of an utterance, longest first.
/// </summary>
public sealed class Lexicon
{
    private static readonly Dictionary<string, Cue> IntentTypes = new(StringComparer.Ordinal)
    {
        ["querer"] = Cue.Want, ["buscar"] = Cue.Find, ["quitar"] = Cue.Remove, ["cancelar"] = Cue.Cancel, ["cerrar"] = Cue.Checkout,
        ["asesor"] = Cue.HandOff, ["precio"] = Cue.Price, ["existencias"] = Cue.Stock, ["total"] = Cue.Total, ["carrito"] = Cue.Cart,
        ["cambiar"] = Cue.Change, ["disponibles"] = Cue.Available, ["otro"] = Cue.More, ["barato"] = Cue.Cheap, ["caro"] = Cue.Expensive,
        ["ordinal"] = Cue.Ordinal, ["pronombre"] = Cue.Pronoun, ["pregunta_producto"] = Cue.About, ["si"] = Cue.Yes, ["no"] = Cue.No,
        ["saludo"] = Cue.Greet, ["gracias"] = Cue.Thanks, ["elogio"] = Cue.Praise, ["despedida"] = Cue.Bye, ["relleno"] = Cue.Filler,
        ["faq"] = Cue.Faq, ["medida"] = Cue.Measure, ["cada"] = Cue.Each,
    };

    private static readonly Dictionary<string, Cue> SlangTypes = new(StringComparer.Ordinal)
    {
        ["saludo"] = Cue.Greet, ["agradecimiento"] = Cue.Thanks, ["afirmacion"] = Cue.Yes, ["negacion"] = Cue.No,
        ["elogio"] = Cue.Praise, ["despedida"] = Cue.Bye, ["relleno"] = Cue.Filler,
    };

    private static readonly Dictionary<string, string> Abbreviations = LanguageData.Rows("abreviaturas.tsv")
        .Where(r => r.Length >= 2).GroupBy(r => r[0], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First()[1], StringComparer.Ordinal);

    /// <summary>The word a chat abbreviation or frequent misspelling stands for ("xq" → "porque", "tdo" → "todo"), or the word itself.</summary>
    public static string Expand(string word) => Abbreviations.GetValueOrDefault(word, word);

    // Declared after the tables Load reads: static fields initialise in order.
    public static Lexicon Spanish { get; } = Load();

    // First word → the expressions starting with it, longest first.
    private readonly Dictionary<string, List<(string[] Words, Cue Cue, int Value)>> _byFirst = new(StringComparer.Ordinal);

    private Lexicon()
    {
    }

    private static Lexicon Load()
    {
        var lexicon = new Lexicon();
        foreach (var row in LanguageData.Rows("intenciones.tsv"))
        {
            if (row.Length >= 2 && IntentTypes.TryGetValue(row[0], out var cue))
            {
                lexicon.Add(row[1], cue, row.Length > 2 ? int.Parse(row[2], CultureInfo.InvariantCulture) : 0);
            }
        }

        foreach (var row in LanguageData.Rows("jerga.tsv"))
        {
            if (row.Length >= 3 && SlangTypes.TryGetValue(row[1], out var cue))
            {
                lexicon.Add(row[2], cue, 0);
            }
        }

        foreach (var row in LanguageData.Rows("numeros.tsv"))
        {
            if (row.Length >= 2 && int.TryParse(row[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                lexicon.Add(row[0], Cue.Number, n);
            }
        }

        foreach (var row in LanguageData.Rows("unidades.tsv"))
        {
            lexicon.Add(row[0], Cue.Unit, 0);
        }

        foreach (var list in lexicon._byFirst.Values)
        {
            list.Sort((a, b) => b.Words.Length.CompareTo(a.Words.Length));
        }

        return lexicon;
    }

    private void Add(string expression, Cue cue, int value)
    {
        var words = SpanishAnalyzer.Words(expression).ToArray();
        if (words.Length == 0)
        {
            return;
        }

        if (!_byFirst.TryGetValue(words[0], out var list))
        {
            _byFirst[words[0]] = list = [];
        }

        var same = list.FindIndex(e => e.Words.SequenceEqual(words));
        if (same >= 0)
        {
            // One expression, several meanings ("listo": yes and close); a number keeps its first value.
            var known = list[same];
            list[same] = (known.Words, known.Cue | cue, known.Value != 0 ? known.Value : value);
        }
        else
        {
            list.Add((words, cue, value));
        }
    }

    // Phonetic key → the single-word expression that sounds so ("bale" → "vale", "kiero" → "quiero").
    private Dictionary<string, string>? _bySound;

    /// <summary>The lexicon word a misspelt word stands for (as it sounds, or one slip away for long words), or null.</summary>
    public string? SoundsLike(string word)
    {
        if (_byFirst.ContainsKey(word) || word.Length < 3 || word.Any(char.IsDigit))
        {
            return null;
        }

        _bySound ??= BuildSounds();
        var key = Phonetic.Key(word);
        if (_bySound.TryGetValue(key, out var same))
        {
            return same;
        }

        // One slip away only for long words: "compra" is not "compro".
        if (key.Length < 7)
        {
            return null;
        }

        return _bySound.Where(s => s.Key.Length >= 7 && Phonetic.WithinOneEdit(s.Key, key)).Select(s => s.Value).OrderBy(v => v, StringComparer.Ordinal).FirstOrDefault();
    }

    private Dictionary<string, string> BuildSounds()
    {
        var sounds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (first, expressions) in _byFirst.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (expressions.Any(e => e.Words.Length == 1 && (e.Cue & (Cue.Number | Cue.Measure)) == 0))
            {
                sounds.TryAdd(Phonetic.Key(first), first);
            }
        }

        return sounds;
    }

    /// <summary>Whether the word starts or is an expression of the lexicon.</summary>
    public bool Knows(string word) => _byFirst.ContainsKey(word);

    /// <summary>Every expression at each position, longest first; Spans may overlap (callers pick).</summary>
    public List<Span> Find(IReadOnlyList<string> words)
    {
        var spans = new List<Span>();
        for (var i = 0; i < words.Count; i++)
        {
            if (!_byFirst.TryGetValue(words[i], out var candidates))
            {
                continue;
            }

            foreach (var (expression, cue, value) in candidates)
            {
                if (i + expression.Length <= words.Count && Matches(words, i, expression))
                {
                    spans.Add(new Span(i, expression.Length, cue, value));
                }
            }
        }

        return spans;
    }

    private static bool Matches(IReadOnlyList<string> words, int at, string[] expression)
    {
        for (var k = 0; k < expression.Length; k++)
        {
            if (!string.Equals(words[at + k], expression[k], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
