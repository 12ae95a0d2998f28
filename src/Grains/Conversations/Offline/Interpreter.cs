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

        var before = acts.Count;
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
            foreach (var act in ActsOf(clause, message, session, faq, clauses.Count))
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

        if (acts.Count == before && acts.Count == 0)
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
    private static bool ListsItems(List<Clause> clauses)
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

    private static IEnumerable<Act> ActsOf(Clause c, Utterance message, SessionView session, FaqIndex? faq, int clauseCount)
    {
        var question = message.IsQuestion;

        // Chit-chat alone ("buenas buenas, ¿todo bien?", "joya", "gracias") asks for nothing.
        // "eso" after it was added: that's it.
        if (c.Pronoun && !c.NamesSomething && c.Quantity is null && c.Ordinal is null && !c.Cheap && !c.Expensive && !c.Has(Cue.Want | Cue.More)
            && session.Focus is { } pointed && session.Cart.Any(l => l.Product.Id == pointed.Id))
        {
            foreach (var act in Answer(true, c, session))
            {
                yield return act;
            }

            yield break;
        }

        if (c.OnlyChat)
        {
            if (c.Yes && !c.Greeting)
            {
                foreach (var act in Answer(true, c, session))
                {
                    yield return act;
                }
            }

            yield break;
        }

        if (c.Has(Cue.Cancel) && c.NamesSomething)
        {
            yield return new Act.Remove(c.Reference(session, preferCart: true));
            yield break;
        }

        // "la crema no": a cart line refused.
        if (c.No && c.NamesSomething && !c.Has(Cue.Want) && c.Reference(session, preferCart: true) is Target.Product refused
            && session.Cart.Any(l => l.Product.Id == refused.Id) && References.Mentions(session.Cart.First(l => l.Product.Id == refused.Id).Product, c.ContentStems))
        {
            yield return new Act.Remove(refused);
            yield break;
        }

        if (c.Has(Cue.Remove))
        {
            yield return new Act.Remove(c.Reference(session, preferCart: true));
            yield break;
        }

        if (c.Has(Cue.Total) || (c.Has(Cue.Price) && c.Has(Cue.Cart)))
        {
            yield return new Act.AskTotal();
            yield break;
        }

        if (c.Has(Cue.Cart) && !c.Has(Cue.Want) && !c.NamesSomething && c.Quantity is null)
        {
            yield return new Act.ShowCart();
            yield break;
        }

        if (c.Available && (c.Has(Cue.Want | Cue.Yes) || session.Offer is not null || c.Leading(Cue.Available) || c.Has(Cue.Change)))
        {
            yield return new Act.AddAvailable(session.Offer is { } offer && !c.NamesSomething ? new Target.Product(offer.ProductId) : c.Reference(session));
            yield break;
        }

        // "uno de cada uno": every product just shown; "sí, las dos cosas": the one shown and the one just added.
        if (c.Has(Cue.Each) && !c.NamesSomething)
        {
            var both = session.Shown.Count > 1 ? session.Shown.ToList()
                : session.Shown.Concat(session.Cart.Select(l => l.Product)).DistinctBy(p => p.Id).ToList();
            // Already in the cart, one of each: nothing to add ("el rímel y el brillo" → "uno de cada uno, listo").
            if (both.Count > 1 && session.Cart.Count(l => both.Any(p => p.Id == l.Product.Id)) >= 2)
            {
                yield return new Act.ShowCart();
                yield break;
            }

            if (both.Count > 1)
            {
                foreach (var one in both.Where(p => session.Shown.Count > 1 || session.Cart.All(l => l.Product.Id != p.Id)))
                {
                    yield return new Act.Add(new Target.Product(one.Id), c.Quantity ?? 1);
                }

                yield break;
            }
        }

        var faqEntry = faq?.Best(c.AllStems, c.Has(Cue.Faq)) ?? -1;
        if (c.Has(Cue.Faq) && (question || !c.NamesCatalog) && (!c.Has(Cue.Want) || !c.NamesCatalog))
        {
            yield return new Act.Faq(faqEntry, message.Text);
            yield break;
        }

        if (c.Has(Cue.Change) && c.Quantity is { } changed && session.Cart.Count > 0 && !c.Has(Cue.More))
        {
            yield return new Act.SetQuantity(c.Reference(session, preferCart: true), changed);
            yield break;
        }

        if (c.Instead.Count > 0 && session.Cart.Count > 0 && c.NamesSomething)
        {
            var gone = session.Cart.Select(l => l.Product).Where(p => References.Mentions(p, c.Instead.Select(w => w.Stem))).Select(p => p.Id).FirstOrDefault();
            var old = gone != Guid.Empty ? gone : session.Cart[^1].Product.Id;
            var wanted = c.Reference(session);
            yield return new Act.Replace(new Target.Product(old), wanted is Target.Product or Target.Named ? wanted : new Target.Named(c.Query));
            yield break;
        }

        if (c.Has(Cue.Change) && c.NamesSomething && session.Cart.Count > 0 && c.Reference(session) is Target.Product replacement
            && session.Cart.All(l => l.Product.Id != replacement.Id))
        {
            var old = session.Focus is { } f && session.Cart.Any(l => l.Product.Id == f.Id) ? f.Id : session.Cart[^1].Product.Id;
            yield return new Act.Replace(new Target.Product(old), replacement);
            yield break;
        }

        if (c.Has(Cue.Price) && !c.Has(Cue.Want))
        {
            // "¿cuánto sería?" with a cart and nothing named: the total.
            if (!c.NamesSomething && !c.Points && session.Cart.Count > 0 && session.Asked is Asked.More or null)
            {
                yield return new Act.AskTotal();
                yield break;
            }

            var target = c.Reference(session);
            yield return target is Target.Named named ? new Act.Search(named.Query, message.MaxPrice, c.Cheap) : new Act.AskPrice(target);
            yield break;
        }

        if (c.Has(Cue.Stock) && !c.Has(Cue.Want) && c.Quantity is null && !(c.Has(Cue.About) && session.Focus is not null))
        {
            var target = c.Reference(session);
            yield return target is Target.Named named ? new Act.Search(named.Query, message.MaxPrice, c.Cheap) : new Act.AskStock(target);
            yield break;
        }

        // "¿cuál es el más barato?" points without naming: of everything the last search found, not only the few shown.
        if (c.Cheap && c.Content.Count == 0 && question && !c.Has(Cue.Want) && session.LastQuery is { } last)
        {
            yield return new Act.Search(last, null, true);
            yield break;
        }

        if (c.Points && c.Content.Count == 0 && question && !c.Has(Cue.Want))
        {
            yield return new Act.Show(c.Reference(session));
            yield break;
        }

        // "¿sirve para piso de madera?", "¿tiene cancelación de ruido?" (of the product in focus).
        var asksAbout = c.Has(Cue.About) || (c.Has(Cue.Find) && session.Focus is { } inFocus && c.Content.Count > 0 && References.Describes(inFocus, c.ContentStems))
            // "¿desde qué edad?" after a product: words the catalog does not have, asked of the product in focus.
            || (session.Focus is not null && c.Content.Count > 0 && c.Content.All(w => !w.Known && !w.InProduct) && !c.Has(Cue.Find | Cue.Faq) && c.AsksWith);
        if (asksAbout && question && (!c.Has(Cue.Want) || c.Has(Cue.About)) && c.Quantity is null && AboutTarget(c, session) is { } about)
        {
            yield return new Act.AskAbout(about.Target, about.Topic, message.Text);
            yield break;
        }

        var wants = c.Has(Cue.Want) || c.Has(Cue.More) && (c.Quantity is not null || c.NamesSomething && session.Cart.Count > 0)
            || (c.Joined && c.NamesSomething && !question && session.Cart.Count > 0)
            || (c.Quantity is not null && (c.QuantityLeads || (!question && (!c.NamesSomething || clauseCount > 1))))
            || (c.Yes && c.Points);
        if (wants && !(question && c.Has(Cue.Find) && !c.Has(Cue.Want)))
        {
            var target = c.PurposeOnly && session.Focus is { } served && (c.Quantity is not null || c.Pronoun)
                ? new Target.Product(served.Id)
                : c.Reference(session);
            if (target is Target.Nothing && session.Offer is { } offered)
            {
                target = new Target.Product(offered.ProductId);
            }

            // "agrégalos al carrito" right after it was added: it is there already.
            if (c.Quantity is null && !c.Has(Cue.More) && target is Target.Product again && again.Id == session.ImplicitLine)
            {
                yield return new Act.Show(target);
                yield break;
            }

            // "dame 2" right after choosing one without saying how many, "y la pechuga ponme 2": the line becomes 2.
            if (c.Quantity is { } n && !c.Has(Cue.More) && target is Target.Product p && (p.Id == session.ImplicitLine || c.NamesSomething)
                && session.Cart.Any(l => l.Product.Id == p.Id))
            {
                yield return new Act.SetQuantity(target, n);
                yield break;
            }


            yield return new Act.Add(target, c.Quantity) { Pair = c.Pair };
            yield break;
        }

        if (c.Has(Cue.Checkout))
        {
            // "entonces nada más la pecera": that one, and close.
            if (c.NamesSomething && c.Reference(session) is Target.Product or Target.Named && session.Cart.Count == 0 && !question)
            {
                yield return new Act.Add(c.Reference(session), null);
            }

            yield return new Act.Checkout();
            yield break;
        }

        if ((c.Yes || c.No) && !c.NamesSomething && !(c.Yes && c.Points))
        {
            foreach (var act in Answer(c.Yes && !c.No, c, session))
            {
                yield return act;
            }

            yield break;
        }

        if (c.Points || c.NamesSomething)
        {
            var target = c.Reference(session);
            switch (target)
            {
                case Target.Named named:
                    yield return new Act.Search(named.Query, message.MaxPrice, c.Cheap);
                    break;
                case Target.Nothing:
                    yield return new Act.Unclear();
                    break;
                // A choice from what was shown: "el de 128 gigas", "la segunda", "el Motorola" takes it; "¿cuál es el más barato?" only shows it.
                case Target.Product when question && !c.Yes:
                    yield return new Act.Show(target);
                    break;
                case Target.Product chosen when session.Cart.Any(l => l.Product.Id == chosen.Id) && session.Asked is not (Asked.Which or Asked.Add):
                    yield return new Act.Show(target);
                    break;
                default:
                    yield return new Act.Add(target, null);
                    break;
            }

            yield break;
        }

        if (c.Has(Cue.Faq))
        {
            yield return new Act.Faq(faqEntry, message.Text);
            yield break;
        }

        if (faqEntry >= 0 && question)
        {
            yield return new Act.Faq(faqEntry, message.Text);
            yield break;
        }

        if (c.Has(Cue.Find))
        {
            yield return new Act.Unclear();
        }
    }

    /// <summary>A bare yes or no, read against what the agent asked last.</summary>
    private static IEnumerable<Act> Answer(bool yes, Clause c, SessionView session)
    {
        if (session.Offer is { } offer)
        {
            yield return yes ? new Act.AddAvailable(new Target.Product(offer.ProductId)) : new Act.Decline();
            yield break;
        }

        switch (session.Asked)
        {
            case Asked.Add when session.Focus is { } focus:
                yield return yes ? new Act.Add(new Target.Product(focus.Id), null) : new Act.Decline();
                yield break;
            case Asked.Which when yes && session.Shown.Count == 1:
                yield return new Act.Add(new Target.Product(session.Shown[0].Id), null);
                yield break;
            case Asked.More when session.Cart.Count > 0:
                // "¿Algo más o confirmamos?" — "sí" and "no (nada más)" both close.
                yield return new Act.Checkout();
                yield break;
            case Asked.Person when yes && !c.Has(Cue.Checkout):
                yield return new Act.HandOff();
                yield break;
        }

        if (yes && session.Cart.Count > 0)
        {
            yield return new Act.Checkout();
        }
        else if (!yes)
        {
            yield return new Act.Decline();
        }
    }

    /// <summary>The product a question is about and what it asks ("¿sirve para piso de madera?" → focus, [piso, madera]).</summary>
    private static (Target Target, IReadOnlyList<string> Topic)? AboutTarget(Clause c, SessionView session)
    {
        var (target, used) = References.Resolve(c, session);
        var topic = c.ContentStems.Where(s => !used.Contains(s)).ToList();
        if (target is Target.Product or Target.Either)
        {
            return (target, topic);
        }

        if (session.Focus is null && c.NamesCatalog)
        {
            // "¿la pecera de 20 litros trae filtro?": the product is named in the question itself.
            return (new Target.Named(c.Query), c.ContentStems);
        }

        // "¿y el skinny negro de qué talle es?": another product of the catalog, not the one in focus.
        if (session.Focus is { } other && c.NamesCatalog && !References.Describes(other, c.Content.Where(w => w.Known || w.InProduct).Select(w => w.Stem)))
        {
            return (new Target.Named(c.Query), c.ContentStems);
        }

        if (session.Focus is { } focus)
        {
            // Words that name a product other than the one in focus are a search ("¿tienen cargadores?"), not a question about it.
            if (c.Has(Cue.Find) && !References.Describes(focus, topic) && topic.Count > 0)
            {
                return null;
            }

            return (new Target.Product(focus.Id), topic);
        }

        return null;
    }
}
