using AgenteVendedor.Language;
using AgenteVendedor.Retrieval;

namespace AgenteVendedor.Conversations.Offline;

/// <summary>
/// Reads a customer's message into acts, against a read-only view of the session: pure, no I/O.
/// The message's words come marked by the lexicon and the catalog (<see cref="Utterance"/>);
/// references ("el segundo", "el azul", "ese") are resolved within what was shown first
/// (<see cref="References"/>); whatever names a product not in the session is left for the
/// catalog search (<see cref="Target.Named"/>).
/// </summary>
public static class Interpreter
{
    public static List<Act> Interpret(Utterance message, SessionView session, FaqIndex? faq = null)
    {
        var all = message.Words;
        bool Has(Cue cue) => all.Any(w => (w.Cue & cue) != 0);

        if (Has(Cue.HandOff))
        {
            return [new Act.HandOff()];
        }

        var clauses = message.Clauses.Select((c, i) => Clause.Of(c, session, message.IsQuestion, message.Joined.Contains(i))).ToList();
        var contentless = clauses.All(c => !c.NamesSomething);
        var namesNoProduct = clauses.All(c => !c.NamesCatalog);

        if (session.Awaiting == Awaiting.Confirmation)
        {
            if (Has(Cue.Cancel) && contentless)
            {
                return [new Act.Cancel()];
            }

            if ((Has(Cue.Checkout) || Has(Cue.Yes)) && contentless && !Has(Cue.No) && !Has(Cue.Change))
            {
                return [new Act.Confirm()];
            }

            if (Has(Cue.No) && contentless && clauses.All(c => c.Quantity is null))
            {
                return [new Act.Decline()];
            }
        }

        // "amanecí con acidez y un guayabo horrible": an article counts units only when the message asks for something.
        if (!Has(Cue.Want | Cue.More | Cue.Change) && clauses.All(c => c.Quantity is null || c.ArticleQuantity))
        {
            foreach (var clause in clauses.Where(c => c.ArticleQuantity && c.NamesSomething && (!c.QuantityLeads || clauses.Count > 1 && !ListsItems(clauses))))
            {
                clause.DropQuantity();
            }
        }

        var acts = new List<Act>();
        if (clauses.Any(c => c.Greeting || c.Thanks || c.Farewell))
        {
            acts.Add(new Act.Chat(clauses.Any(c => c.Greeting), clauses.Any(c => c.Thanks), clauses.Any(c => c.Farewell)));
        }

        // "Cancela" with nothing named ends the order, whatever else the message says — unless it also closes it ("no, déjalo así, confirmo").
        if (Has(Cue.Cancel) && namesNoProduct && !Has(Cue.Checkout) && !clauses.Any(c => c.Available && c.Has(Cue.Want)))
        {
            acts.RemoveAll(a => a is Act.Chat);
            acts.Add(new Act.Cancel());
            return acts;
        }

        // A "sí", "dale", "órale" beside a request is its preface, not an answer of its own: "bueno, deme 2 de esos".
        var requests = clauses.Count(c => !c.OnlyChat && !c.Preface);
        foreach (var clause in clauses)
        {
            if ((clause.OnlyChat || clause.Preface) && requests > 0)
            {
                // "dale, las llevo. listo": a yes after the request closes the order.
                if (clause == clauses[^1] && clause.Yes && !clause.No && acts.Any(a => a is Act.Add or Act.AddAvailable or Act.SetQuantity))
                {
                    acts.Add(new Act.Checkout());
                }

                continue;
            }

            // Words the catalog does not have, beside a request ("quería pasar a buscarlo" after a question on hours): not a search of their own.
            if (requests > 1 && !clause.NamesCatalog && clause.Quantity is null && !clause.Points && (clause.Cues & ~(Cue.Find | Cue.Chat | Cue.About)) == 0
                && acts.Count > 0)
            {
                continue;
            }

            // "el gorro gris, uno" / "necesito la chaqueta beige, quiero 4 para mis sobrinas": the number counts the product just named.
            // "y arena también, la de lavanda": which one of what was just named.
            if (clause.Describing && acts.Count > 0 && acts[^1] is Act.Add { Target: Target.Named previous } last && clause.Reference(session) is not Target.Product)
            {
                // "2 papitas naturales y 1 de las de limón": the same thing (its first word) with the new attributes.
                var same = previous.Query.Split(' ')[0];
                var query = clause.Quantity is not null && last.Quantity is not null ? $"{same} {clause.Query}" : $"{previous.Query} {clause.Query}";
                if (clause.Quantity is not null && last.Quantity is not null)
                {
                    acts.Add(new Act.Add(new Target.Named(query), clause.Quantity));
                }
                else
                {
                    acts[^1] = new Act.Add(new Target.Named(query), clause.Quantity ?? last.Quantity);
                }

                continue;
            }

            if (clause.Describing && acts.Count > 0 && acts[^1] is Act.Search previousSearch && clause.Reference(session) is not Target.Product)
            {
                acts[^1] = previousSearch with { Query = $"{previousSearch.Query} {clause.Query}" };
                continue;
            }

            // "yo calzo 41", "talla M" after a request: a detail of it, not a new search.
            if (acts.Count > 0 && clause.Cues == Cue.None && clause.Quantity is null && clause.Content.Count > 0
                && clause.Content.All(w => w.Digits is not null || (w.Cue & Cue.Measure) != 0 || w.Text.Length == 1))
            {
                continue;
            }

            // "es para mi hermana en Bogotá" beside a request says who it is for, not what.
            if (clause.PurposeOnly && clause.Quantity is null && clause.Cues == Cue.None || clause.PurposeOnly && clause.Has(Cue.About) && clause.Quantity is null && requests > 1)
            {
                continue;
            }

            if ((clause.BareQuantity || clause.PurposeOnly && clause.Quantity is not null) && acts.Count > 0
                && acts[^1] is Act.Search or Act.Add { Quantity: null } or Act.AskAbout or Act.AskPrice)
            {
                var named = acts[^1] switch
                {
                    Act.Search s => (Target)new Target.Named(s.Query),
                    Act.Add a => a.Target,
                    Act.AskAbout q => q.Target,
                    Act.AskPrice p => p.Target,
                    _ => new Target.Nothing(),
                };
                acts[^1] = new Act.Add(named, clause.Quantity);
                continue;
            }

            // "sacá el shampoo, no lo quiero": the same line twice.
            if (clause.Has(Cue.Remove) && !clause.NamesSomething && acts.Any(a => a is Act.Remove))
            {
                continue;
            }

            // "2 camisetas blancas talla M, una negra talla M": the same thing, in another color or size.
            if (clause.Content.Count > 0 && clause.Content.All(w => Attributes.Describes(w.Stem) || w.Digits is not null) && !clause.Points
                && acts.Count > 0 && acts[^1] is Act.Add { Target: Target.Named earlier } && clause.Reference(session) is not Target.Product)
            {
                acts.Add(new Act.Add(new Target.Named($"{earlier.Query.Split(' ')[0]} {clause.Query}"), clause.Quantity));
                continue;
            }

            var added = acts.Any(a => a is Act.Add);
            foreach (var act in ClauseRules.ActsOf(clause, message, session, faq, clauses.Count))
            {
                // "ponme uno y también el cable lightning", "un mouse, un soporte y dos cables": one list of things to buy.
                // "¿tienen mantita para mi perro? y una chapita con su nombre": a second thing, not more words for the first.
                var another = clause.Joined && clause.HadArticle && clause.NamesCatalog && acts.Any(a => a is Act.Search);
                acts.Add(act is Act.Search search && (added && clause.Joined || ListsItems(clauses) || another) && search.MaxPrice is null
                    ? new Act.Add(new Target.Named(search.Query), null)
                    : act);
            }
        }

        // The closing words come last: "agrega un rodillo y listo, confirmo".
        if (Has(Cue.Checkout) && !acts.OfType<Act.Checkout>().Any() && session.Awaiting != Awaiting.Confirmation && !acts.Any(a => a is Act.Faq or Act.AskAbout)
            && (session.Cart.Count > 0 || acts.Any(a => a is Act.Add or Act.AddAvailable)))
        {
            acts.Add(new Act.Checkout());
        }

        if (acts.Count == 0)
        {
            acts.Add(new Act.Unclear());
        }

        // "si compro un labial y no me gusta, ¿lo puedo devolver?" asks about the shop; it buys nothing yet.
        if (message.IsQuestion && acts.Any(a => a is Act.Faq))
        {
            acts.RemoveAll(a => a is Act.Add { Quantity: null or 1 });
        }

        return Merge(acts);
    }

    /// <summary>A message that lists items to buy: two clauses or more, and most of them with a number.</summary>
    internal static bool ListsItems(List<Clause> clauses)
    {
        var items = clauses.Where(c => c.NamesSomething).ToList();
        return items.Count >= 2 && items.Count(c => c.Quantity is not null || c.Has(Cue.Want)) * 2 > items.Count;
    }

    /// <summary>An act repeated by two clauses of one message counts once; a bare checkout after another one too.</summary>
    private static List<Act> Merge(List<Act> acts)
    {
        var merged = new List<Act>();
        foreach (var act in acts)
        {
            if (act is Act.Checkout or Act.Chat or Act.Unclear && merged.Any(a => a.GetType() == act.GetType()))
            {
                continue;
            }

            if (act is Act.Unclear && merged.Count > 0 || merged.Count > 0 && merged[^1] == act)
            {
                continue;
            }

            // "sí, ese, uno porfa": one product said three ways is one line, with the number that was said.
            if (act is Act.Add add && merged.Count > 0 && merged[^1] is Act.Add last && last.Target == add.Target && (last.Quantity is null || add.Quantity is null))
            {
                merged[^1] = new Act.Add(add.Target, add.Quantity ?? last.Quantity) { Pair = add.Quantity is null ? last.Pair : add.Pair };
                continue;
            }

            merged.Add(act);
        }

        merged.RemoveAll(a => a is Act.Unclear && merged.Count > 1);

        // "mi hijo es intolerante a la lactosa, ¿qué leche me recomiendas?": one question about one product.
        if (merged.FirstOrDefault(a => a is Act.AskAbout { Target: Target.Named }) is Act.AskAbout { Target: Target.Named asked } about
            && merged.OfType<Act.Search>().ToList() is { Count: > 0 } extra)
        {
            var at = merged.IndexOf(about);
            merged.RemoveAll(a => a is Act.Search);
            merged[at] = about with { Target = new Target.Named($"{asked.Query} {string.Join(' ', extra.Select(s => s.Query))}") };
        }

        // Several clauses that each only search are one description: "voy a la playa con los niños, ¿qué me recomiendas para el sol?".
        var searches = merged.OfType<Act.Search>().ToList();
        if (searches.Count > 1)
        {
            var at = merged.IndexOf(searches[0]);
            merged.RemoveAll(a => a is Act.Search);
            merged.Insert(Math.Min(at, merged.Count), new Act.Search(string.Join(' ', searches.Select(s => s.Query)), searches.Select(s => s.MaxPrice).FirstOrDefault(m => m is not null), searches.Any(s => s.Cheapest)));
        }

        return merged;
    }
}
