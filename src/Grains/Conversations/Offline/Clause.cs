using System.Globalization;
using AgenteVendedor.Language;

namespace AgenteVendedor.Conversations.Offline;

/// <summary>
/// One clause of a message, read: what its expressions say, how many units it asks for, the
/// ordinal or pronoun it points with, and its content words (product words, attributes like "128"
/// or "azul"). A number is a quantity unless it describes a product ("el de 128", "5 kg").
/// </summary>
public sealed class Clause
{
    private static readonly HashSet<string> AttributeLead = ["de", "del", "talla", "talle", "numero", "no", "modelo", "ref", "referencia", "x", "por", "tamano", "size", "version", "calzo", "calza", "calzas", "calce", "mido", "pesa", "peso", "tiene", "tengo", "uso", "usa", "edad"];
    private static readonly HashSet<string> OrdinalLead = ["el", "la", "lo", "opcion", "numero", "producto", "item", "los", "las"];

    private Clause(IReadOnlyList<Word> words) => Words = words;

    public IReadOnlyList<Word> Words { get; }

    public Cue Cues { get; private set; }

    public int? Quantity { get; private set; }

    public bool QuantityLeads { get; private set; }

    /// <summary>The quantity was said as "un par".</summary>
    public bool Pair { get; private set; }

    /// <summary>The quantity is an article ("una brocha"), not a number said as such.</summary>
    public bool ArticleQuantity { get; private set; }

    /// <summary>"el de 3 metros", "la de lavanda": the clause only describes (which one), it names no new thing.</summary>
    public bool Describing { get; private set; }

    /// <summary>Words after "en vez de" / "en lugar de": the cart line being replaced.</summary>
    public List<Word> Instead { get; } = [];

    /// <summary>It started with an article ("y una chapita"), even if that was not read as a number of units.</summary>
    public bool HadArticle { get; private set; }

    public void DropQuantity()
    {
        HadArticle |= ArticleQuantity;
        Quantity = null;
        ArticleQuantity = false;
    }

    public int? Ordinal { get; private set; }

    public bool Pronoun { get; private set; }

    public bool Cheap { get; private set; }

    public bool Expensive { get; private set; }

    public bool Available { get; private set; }

    public List<Word> Content { get; } = [];

    /// <summary>The stems of the content words (numbers as written).</summary>
    public List<string> ContentStems => Content.Select(w => w.Stem).ToList();

    /// <summary>Every stem of the clause but stop words and quantities: for FAQ questions, whose words are partly the lexicon's.</summary>
    public List<string> AllStems { get; } = [];

    public bool NamesSomething => Content.Count > 0;

    /// <summary>Some content word is one of the catalog's.</summary>
    public bool NamesCatalog => Content.Any(w => w.Known || w.InProduct);

    public bool Points => Ordinal is not null || Pronoun || Cheap || Expensive;

    public bool Greeting => Has(Cue.Greet);

    public bool Thanks => Has(Cue.Thanks);

    public bool Farewell => Has(Cue.Bye);

    public bool Yes => Has(Cue.Yes);

    public bool No => Has(Cue.No);

    /// <summary>A yes, a no, a greeting before the request itself: "no, quita el hdmi", "bueno, deme 2".</summary>
    public bool Preface => Content.Count == 0 && Quantity is null && !Points && !Available && (Cues & ~(Cue.Chat | Cue.Yes | Cue.No)) == 0 && Cues != Cue.None;

    /// <summary>It asks with a question word ("¿desde qué edad?", "¿cómo se usa?").</summary>
    public bool AsksWith => Words.Any(w => w.Text is "que" or "como" or "cual" or "cuales" or "cuanto" or "cuanta" or "cuantos" or "cuantas" or "desde" or "donde" or "cuando" or "hasta" or "quien");

    /// <summary>Talk and nothing else: greetings, thanks, praise, fillers, a yes.</summary>
    public bool OnlyChat => Content.Count == 0 && Quantity is null && !Points && !Available && (Cues & ~(Cue.Chat | Cue.Yes)) == 0 && Cues != Cue.None;

    public bool Has(Cue cue) => (Cues & cue) != 0;

    /// <summary>The clause came after "y", "también", "además": it adds to what was said ("y unas chanclas").</summary>
    public bool Joined { get; private set; }

    /// <summary>Nothing in it but a number ("uno", "dame 2"): it counts what the clause before it named.</summary>
    public bool BareQuantity => Quantity is not null && Content.Count == 0 && !Points && !Available;

    /// <summary>Whether the clause's first word that is not talk says this.</summary>
    public bool Leading(Cue cue) => Words.FirstOrDefault(w => (w.Cue & Cue.Chat) == 0 || w.Cue == Cue.None) is { } first && (first.Cue & cue) != 0;

    public Target Reference(SessionView session, bool preferCart = false) => References.Resolve(this, session, preferCart).Target;

    /// <summary>The content words as the customer wrote them, for a catalog search.</summary>
    public string Query => string.Join(' ', Content.Select(w => w.Text));

    /// <summary>Every content word comes after "para" / "pa": what the thing is for, not the thing ("dame uno pa las arepas").</summary>
    public bool PurposeOnly => Content.Count > 0 && Content.All(_purpose.Contains);

    private readonly HashSet<Word> _purpose = [];

    public static Clause Of(IReadOnlyList<Word> words, SessionView session, bool question = false, bool joined = false)
    {
        var clause = new Clause(words) { Joined = joined };
        // "la de lavanda", "1 de las de limón": which one of the thing just named.
        var lead = words.SkipWhile(w => w.Digits is not null || (w.Cue & Cue.Number) != 0 || w.Text is "de").ToList();
        clause.Describing = lead.Count >= 3 && lead[0].Text is "el" or "la" or "los" or "las" && lead[1].Text == "de";
        var purpose = false;
        var instead = false;
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            purpose |= word.Text is "para" or "pa" or "pal" && !word.InProduct;
            instead |= (word.Cue & Cue.Change) != 0 && word.Leads && word.Text == "en" && word.SpanLength >= 3;
            if (instead && word.Cue == Cue.None && !word.Small)
            {
                clause.Instead.Add(word);
                continue;
            }

            if (purpose)
            {
                clause._purpose.Add(word);
            }

            var previous = i > 0 ? words[i - 1] : null;
            var next = i + 1 < words.Count ? words[i + 1] : null;
            var number = word.Digits ?? ((word.Cue & Cue.Number) != 0 && word.Leads && !word.InProduct ? word.Value : null);
            if (word.InProduct)
            {
                clause.AddContent(word);
                continue;
            }

            if (number is { } n && (word.Digits is not null || word.Leads))
            {
                clause.Cues |= word.Cue & Cue.More;
                clause.ReadNumber(word, n, previous, next, session, words, i);
                i += word.Digits is null ? word.SpanLength - 1 : 0;
                continue;
            }

            var cue = word.Cue;
            if (cue == Cue.None)
            {
                if (!word.Small)
                {
                    clause.AddContent(word);
                }

                continue;
            }

            if (!word.Leads)
            {
                continue;
            }

            if ((cue & Cue.Measure) != 0)
            {
                clause.AddContent(word);
                continue;
            }

            if ((cue & Cue.Ordinal) != 0)
            {
                var position = word.Value;
                var after = i + word.SpanLength < words.Count ? words[i + word.SpanLength] : null;
                // "el cuarto del bebé" is a room, not the fourth product.
                if (session.Shown.Count + session.Cart.Count > 0 && Math.Abs(position) <= Math.Max(session.Shown.Count, session.Cart.Count)
                    && after?.Text is not ("de" or "del" or "para"))
                {
                    clause.Ordinal = position;
                    continue;
                }

                clause.AddContent(word);
                continue;
            }

            clause.Pronoun |= (cue & Cue.Pronoun) != 0;
            clause.Cheap |= (cue & Cue.Cheap) != 0;
            clause.Expensive |= (cue & Cue.Expensive) != 0;
            clause.Available |= (cue & Cue.Available) != 0;
            clause.Cues |= cue & ~(Cue.Pronoun | Cue.Cheap | Cue.Expensive | Cue.Available);
            clause.AllStems.AddRange(words.Skip(i).Take(word.SpanLength).Where(w => !w.Small).Select(w => w.Stem));
        }

        // "¿y para mi perro que pesa 18 kilos le sirve?": in a question about a product, numbers describe.
        if (question && clause.Has(Cue.About) && !clause.Has(Cue.Want) && clause.Quantity is { } n2 && clause._quantityWord is { } q)
        {
            clause.Quantity = null;
            clause.AddContent(q.Digits is null ? new Word(n2.ToString(CultureInfo.InvariantCulture), q.Index) : q);
        }

        return clause;
    }

    private Word? _quantityWord;

    private void AddContent(Word word)
    {
        if (_purpose.Contains(word) || _purpose.Any(p => p.Index == word.Index))
        {
            _purpose.Add(word);
        }

        Content.Add(word);
        AllStems.Add(word.Stem);
    }

    private void ReadNumber(Word word, int n, Word? previous, Word? next, SessionView session, IReadOnlyList<Word> words, int i)
    {
        var after = word.Digits is null && i + word.SpanLength < words.Count ? words[i + word.SpanLength] : next;
        // "bip 5", "go 3", "a15": a number right after a product word is part of its name.
        var describes = (previous is not null && (AttributeLead.Contains(previous.Text) || (previous.Cue == Cue.None && !previous.Small && previous.Digits is null) || previous.InProduct))
            || (after is not null && (after.Cue & Cue.Measure) != 0 && (after.Cue & Cue.Unit) == 0)
            || n > 999;
        // "la rosca de un tubo": an article, not a size.
        describes &= word.Digits is not null || n != 1;
        if (describes)
        {
            AddContent(word.Digits is null ? new Word(n.ToString(CultureInfo.InvariantCulture), word.Index) : word);
            return;
        }

        // "el 2" after a list is the second one; "quiero 2" is two units.
        if (previous is not null && OrdinalLead.Contains(previous.Text) && n >= 1 && n <= session.Shown.Count && n <= 10
            && (after is null || (after.Cue & Cue.Unit) == 0) && Ordinal is null)
        {
            Ordinal = n;
            return;
        }

        // "una brocha" and "dame uno" count one; "tengo una fuga" and "busco un taladro" do not.
        if (word.Digits is null && n == 1)
        {
            var counts = previous is null || previous.Text is "y" or "otro" or "otra" || (previous.Cue & (Cue.Want | Cue.More | Cue.Yes | Cue.Change | Cue.Filler)) != 0
                || (after is not null && (after.Cue & Cue.Unit) != 0);
            if ((previous is not null && (previous.Cue & Cue.Find) != 0) || !counts)
            {
                return;
            }
        }

        if (Quantity is null)
        {
            Quantity = n;
            ArticleQuantity = word.Digits is null && n == 1;
            Pair = word.Digits is null && n == 2 && word.Text == "un" && word.SpanLength == 2;
            _quantityWord = word;
            QuantityLeads = Words.TakeWhile(w => w != word).All(w => w.Cue != Cue.None && (w.Cue & (Cue.Chat | Cue.Yes | Cue.Want | Cue.More | Cue.Change)) != 0 || w.Small);
        }
        else
        {
            AddContent(word);
        }
    }
}
