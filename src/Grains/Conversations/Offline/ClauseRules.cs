using AgenteVendedor.Language;
using AgenteVendedor.Retrieval;

namespace AgenteVendedor.Conversations.Offline;

/// <summary>
/// What one clause of a message asks for, read against the session: the rules of the interpreter, in
/// the order they are tried (a cancel before a removal before a total before an addition…). The
/// <see cref="Interpreter"/> splits the message, joins what clauses say together and merges the acts.
/// </summary>
public static class ClauseRules
{
    /// <summary>The acts one clause asks for; <paramref name="clauseCount"/> is how many clauses the message has.</summary>
    public static IEnumerable<Act> ActsOf(Clause c, Utterance message, SessionView session, FaqIndex? faq, int clauseCount)
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
