using AgenteVendedor.Text;

namespace AgenteVendedor.Retrieval;

/// <summary>
/// Turns Spanish text into search terms: folded (case, accents), split on anything that is not a
/// letter or digit, stop words dropped, lightly stemmed (plurals and final vowels), so that
/// "Taladros percutores" and "taladro percutor" meet.
/// </summary>
public static class SpanishAnalyzer
{
    private static readonly HashSet<string> StopWords =
    [
        "a", "al", "algo", "algun", "alguna", "alguno", "ante", "con", "cual", "cuanto", "cuanta", "de", "del", "desde", "donde",
        "e", "el", "ella", "en", "entre", "es", "esa", "ese", "eso", "esta", "este", "esto", "hay", "la", "las", "le", "les",
        "lo", "los", "me", "mi", "mis", "muy", "necesito", "o", "para", "pero", "por", "que", "quiero", "se", "si",
        "sobre", "su", "sus", "te", "tiene", "tienen", "tienes", "un", "una", "uno", "unos", "unas", "y", "ya", "yo", "busco",
        "vale", "cuesta", "precio", "hola", "favor", "gracias", "dame", "deme", "tengo", "sirve", "como", "otro", "otra",
        "mucho", "mucha", "muchos", "muchas", "poco", "poca", "tan", "tanto", "cada", "nos", "mas", "menos", "tienes", "teneis",
        "estan", "son", "ser", "quisiera", "busca", "buscando", "usted", "ustedes", "pa", "pal", "q", "k", "xq", "porq", "porque",
    ];

    /// <summary>The stemmed terms of a text, in order, repeated as they repeat.</summary>
    public static List<string> Terms(string text)
    {
        var terms = new List<string>();
        foreach (var word in Words(text))
        {
            if (!StopWords.Contains(word))
            {
                terms.Add(Stem(word));
            }
        }

        return terms;
    }

    /// <summary>
    /// Folded words, stop words included (for phrases and synonyms). Digits and letters written
    /// together part ("128GB" → "128", "gb"), as customers write them apart.
    /// </summary>
    public static IEnumerable<string> Words(string text)
    {
        var folded = Fold(text);
        var start = -1;
        for (var i = 0; i <= folded.Length; i++)
        {
            var inWord = i < folded.Length && char.IsLetterOrDigit(folded[i]);
            if (inWord && start >= 0 && char.IsDigit(folded[i]) != char.IsDigit(folded[i - 1]))
            {
                yield return folded[start..i];
                start = i;
            }
            else if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                yield return folded[start..i];
                start = -1;
            }
        }
    }

    /// <summary>
    /// Folded as <see cref="SpanishText.Fold"/>, but ñ is kept apart from n (as "nn"): "uñas" are not "unas",
    /// "año" is not "ano". Customers who type n for ñ still meet it by sound (<see cref="Language.Phonetic"/>).
    /// </summary>
    public static string Fold(string text) =>
        SpanishText.Fold(text.Contains('ñ') || text.Contains('Ñ') ? text.Replace("ñ", "nn", StringComparison.Ordinal).Replace("Ñ", "NN", StringComparison.Ordinal) : text);

    private static readonly string[] Enclitics = ["selo", "sela", "melo", "mela", "telo", "tela", "los", "las", "les", "nos", "me", "te", "se", "le", "lo", "la"];

    /// <summary>A light stemmer: plural endings, then one final vowel, for words of five letters or more.</summary>
    public static string Stem(string word)
    {
        if (word.Length < 4 || word.Any(char.IsDigit))
        {
            return word;
        }

        var stem = word;
        // A pronoun written onto a verb is not the verb: "quitarme", "ponerle", "limpiarlo" → "quitar", "poner", "limpiar".
        foreach (var enclitic in Enclitics)
        {
            if (stem.Length >= enclitic.Length + 4 && stem.EndsWith(enclitic, StringComparison.Ordinal) && stem[^(enclitic.Length + 1)] == 'r'
                && "aei".Contains(stem[^(enclitic.Length + 2)]))
            {
                stem = stem[..^enclitic.Length];
                break;
            }
        }

        // Diminutives are the word: "bolsita" is a "bolsa", "perritos" are "perros".
        if (stem.Length >= 6 && (stem.EndsWith("ito", StringComparison.Ordinal) || stem.EndsWith("ita", StringComparison.Ordinal)
            || stem.EndsWith("itos", StringComparison.Ordinal) || stem.EndsWith("itas", StringComparison.Ordinal)))
        {
            var end = stem.EndsWith('s') ? 4 : 3;
            stem = stem[..^end] + stem[^(end - 2)] + (end == 4 ? "s" : "");
        }

        if (stem.EndsWith("ces", StringComparison.Ordinal) && stem.Length > 4)
        {
            stem = stem[..^3] + "z";
        }
        else if (stem.EndsWith("es", StringComparison.Ordinal) && stem.Length > 4 && !"aeiou".Contains(stem[^3]))
        {
            stem = stem[..^2];
        }
        else if (stem.EndsWith('s') && stem.Length > 3)
        {
            stem = stem[..^1];
        }

        // Verbs in the plural: "quedan" is "queda", "vienen" is "viene".
        else if (stem.Length >= 6 && (stem.EndsWith("an", StringComparison.Ordinal) || stem.EndsWith("en", StringComparison.Ordinal)) && !"aeiou".Contains(stem[^3]) && stem[^3] != 'r')
        {
            stem = stem[..^1];
        }

        if (stem.Length >= 5 && "aeo".Contains(stem[^1]))
        {
            stem = stem[..^1];
        }

        return stem;
    }
}
