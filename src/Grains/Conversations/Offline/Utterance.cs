using System.Text.RegularExpressions;
using AgenteVendedor.Catalog;
using AgenteVendedor.Language;
using AgenteVendedor.Retrieval;
using AgenteVendedor.Text;

namespace AgenteVendedor.Conversations.Offline;

/// <summary>A word of a message: folded, its stem, what the lexicon says of it here, and its place.</summary>
public sealed class Word(string text, int index)
{
    public string Text { get; } = text;

    public string Stem { get; } = SpanishAnalyzer.Stem(text);

    public int Index { get; } = index;

    /// <summary>What the expression this word belongs to says (Cue.None for content words).</summary>
    public Cue Cue { get; set; }

    /// <summary>The expression's number, for ordinals and number words.</summary>
    public int Value { get; set; }

    /// <summary>First word of its expression (an expression counts once).</summary>
    public bool Leads { get; set; }

    /// <summary>How many words its expression has (1 for content words).</summary>
    public int SpanLength { get; set; } = 1;

    /// <summary>Part of a phrase of the empresa's catalog: never a command.</summary>
    public bool InProduct { get; set; }

    /// <summary>The catalog has this word (or the word it was a slip for).</summary>
    public bool Known { get; set; }

    /// <summary>A stop word: neither command nor content ("de", "el", "para").</summary>
    public bool Small { get; set; }

    public int? Digits => int.TryParse(Text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;

    public override string ToString() => Cue == Cue.None ? Text : $"{Text}:{Cue}";
}

/// <summary>
/// A customer's message read into words and clauses. Words take their meaning from the lexicon,
/// except where they belong to a phrase of the catalog ("quita manchas", "cancelación de ruido").
/// Clauses are split on commas, "y", "también"… so that "2 brochas, un rodillo y 3 lijas" is three.
/// </summary>
public sealed partial class Utterance
{
    private static readonly HashSet<string> Separators = ["y", "e", "tambien", "ademas"];

    public string Text { get; }

    public IReadOnlyList<Word> Words { get; }

    public IReadOnlyList<IReadOnlyList<Word>> Clauses { get; }

    /// <summary>Indexes of the clauses that came after "y", "también", "además".</summary>
    public IReadOnlySet<int> Joined { get; private init; } = new HashSet<int>();

    public bool IsQuestion { get; }

    /// <summary>A price ceiling said in the message ("hasta 50 mil"), taken out of its words.</summary>
    public decimal? MaxPrice { get; }

    private Utterance(string text, List<Word> words, List<IReadOnlyList<Word>> clauses, bool question, decimal? maxPrice)
    {
        Text = text;
        Words = words;
        Clauses = clauses;
        IsQuestion = question;
        MaxPrice = maxPrice;
    }

    public static Utterance Read(string message, CatalogReading catalog)
    {
        var (text, maxPrice) = PriceLimit(message);
        var folded = SpanishAnalyzer.Fold(text);
        var pieces = Pieces().Matches(folded).Select(m => m.Value).ToList();
        var words = new List<Word>();
        var breaks = new HashSet<int>();
        foreach (var piece in pieces)
        {
            if (char.IsLetterOrDigit(piece[0]))
            {
                foreach (var w in SpanishAnalyzer.Words(piece))
                {
                    // A word the catalog does not know may be a misspelt word of the conversation ("kiero", "bale").
                    // The catalog's own word stays; a misspelling is read as the conversation word it sounds like ("paketes", "kiero")
                    // before the catalog word it is one slip from.
                    var stem = SpanishAnalyzer.Stem(w);
                    var exact = catalog.Known.TryGetValue(stem, out var term) && term == stem;
                    var lexical = exact ? null : Lexicon.Expand(w) is var expanded && expanded != w ? expanded : Lexicon.Spanish.SoundsLike(w);
                    var known = exact || (lexical is null && catalog.Known.ContainsKey(stem));
                    var spelled = lexical ?? w;
                    words.Add(new Word(spelled, words.Count) { Known = known });
                }
            }
            else if (piece.IndexOfAny([',', ';', '.', '\n', '+', '/', '!', '?']) >= 0)
            {
                breaks.Add(words.Count);
            }
        }

        MarkProducts(words, catalog);
        MarkCues(words);
        var joined = new HashSet<int>();
        var clauses = SplitClauses(words, breaks, joined);
        var question = message.Contains('?') || message.Contains('¿')
            || (words.Count > 0 && words[0].Text is "cuanto" or "cuanta" or "cuantos" or "cuantas" or "que" or "cual" or "como" or "donde" or "sirve" or "tiene" or "tienen" or "trae" or "viene" or "es" or "hay" or "a" or "q" or "cuando");
        return new Utterance(text, words, clauses, question, maxPrice) { Joined = joined };
    }

    private static void MarkProducts(List<Word> words, CatalogReading catalog)
    {
        if (catalog.Pairs.Count == 0)
        {
            return;
        }

        // Pairs are of terms (stop words left out): walk the words that are terms, in order.
        var terms = words.Where(w => SpanishAnalyzer.Terms(w.Text).Count == 1).ToList();
        var pairs = catalog.Pairs.ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i + 1 < terms.Count; i++)
        {
            if (pairs.Contains($"{terms[i].Stem} {terms[i + 1].Stem}"))
            {
                terms[i].InProduct = true;
                terms[i + 1].InProduct = true;
            }
        }
    }

    private static void MarkCues(List<Word> words)
    {
        var texts = words.Select(w => w.Text).ToList();
        var spans = Lexicon.Spanish.Find(texts);
        var i = 0;
        while (i < words.Count)
        {
            // The longest expression here that no catalog phrase claims a word of.
            var span = spans.Where(s => s.Start == i && !words.Skip(s.Start).Take(s.Length).Any(w => w.InProduct))
                .OrderByDescending(s => s.Length).FirstOrDefault();
            if (span.Length == 0)
            {
                words[i].Small = SpanishAnalyzer.Terms(words[i].Text).Count == 0;
                i++;
                continue;
            }

            for (var k = span.Start; k < span.End; k++)
            {
                words[k].Cue = span.Cue;
                words[k].Value = span.Value;
                words[k].Leads = k == span.Start;
                words[k].SpanLength = span.Length;
            }

            i = span.End;
        }
    }

    private static List<IReadOnlyList<Word>> SplitClauses(List<Word> words, HashSet<int> breaks, HashSet<int> joined)
    {
        var clauses = new List<IReadOnlyList<Word>>();
        var current = new List<Word>();
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            var isSeparator = Separators.Contains(word.Text) && !word.InProduct && word.SpanLength == 1
                && !(i > 0 && words[i - 1].InProduct && i + 1 < words.Count && words[i + 1].InProduct);
            if (breaks.Contains(i) && current.Count > 0)
            {
                clauses.Add(current);
                current = [];
            }

            // "2 brochas y 3 lijas" is two requests; a leading "¿y el tercero?" is one, and so is "agrégame también el brasier".
            if (isSeparator && !current.Any(w => (w.Cue == Cue.None && !w.Small) || w.Digits is not null || (w.Cue & (Cue.Number | Cue.Pronoun | Cue.Ordinal | Cue.Chat | Cue.Yes | Cue.No)) != 0))
            {
                if (current.Count == 0)
                {
                    joined.Add(clauses.Count);
                }

                continue;
            }

            if (isSeparator)
            {
                if (current.Count > 0)
                {
                    clauses.Add(current);
                    current = [];
                }

                joined.Add(clauses.Count);
                continue;
            }

            current.Add(word);
        }

        if (current.Count > 0)
        {
            clauses.Add(current);
        }

        return clauses;
    }

    /// <summary>"hasta 500 mil", "menos de 200.000", "máximo 1,5 millones" → a price ceiling, removed from the text.</summary>
    private static (string Text, decimal? MaxPrice) PriceLimit(string message)
    {
        var match = PriceCeiling().Match(message);
        if (!match.Success)
        {
            return (message, null);
        }

        var digits = match.Groups["n"].Value.Replace(".", string.Empty, StringComparison.Ordinal).Replace(",", ".", StringComparison.Ordinal);
        if (!decimal.TryParse(digits, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var amount))
        {
            return (message, null);
        }

        var unit = match.Groups["u"].Value.ToLowerInvariant();
        amount *= unit is "mil" or "k" ? 1_000 : unit.StartsWith("mill", StringComparison.Ordinal) || unit.StartsWith("palo", StringComparison.Ordinal) ? 1_000_000 : 1;
        return (message.Remove(match.Index, match.Length), amount);
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+|[^\p{L}\p{N}\s]+|\n")]
    private static partial Regex Pieces();

    [GeneratedRegex(@"(hasta|menos de|m[aá]ximo|por debajo de|no m[aá]s de|que no pase de|no pase de)\s*(los\s*)?\$?\s*(?<n>\d[\d.,]*)\s*(?<u>mil(lones|l[oó]n)?|k\b|palos?)?", RegexOptions.IgnoreCase)]
    private static partial Regex PriceCeiling();
}
