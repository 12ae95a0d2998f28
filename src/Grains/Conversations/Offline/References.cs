using AgenteVendedor.Language;
using AgenteVendedor.Retrieval;

namespace AgenteVendedor.Conversations.Offline;

/// <summary>
/// What a clause points to: an ordinal or "el más barato" over the last list; words ("el de 128
/// gigas", "el Motorola", "el azul") matched against the products of the session — shown, in the
/// cart, in focus — by their name, category and keywords, as they sound; a pronoun or nothing at all
/// is the product in focus. Words no session product has are left for the catalog.
/// </summary>
public static class References
{
    public static (Target Target, HashSet<string> Used) Resolve(Clause clause, SessionView session, bool preferCart = false)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var list = preferCart && session.Cart.Count > 0 && session.Shown.Count == 0 ? session.Cart.Select(l => l.Product).ToList() : session.Shown.ToList();
        if (clause.Ordinal is { } position)
        {
            var from = list.Count > 0 ? list : session.Cart.Select(l => l.Product).ToList();
            var index = position > 0 ? position - 1 : from.Count + position;
            return index >= 0 && index < from.Count ? (new Target.Product(from[index].Id), used) : (new Target.Nothing(), used);
        }

        var pool = Pool(session, preferCart);
        if (clause.Content.Count > 0)
        {
            var stems = clause.ContentStems;

            // "el grande" of a list that differs by its measure.
            var size = Sizes.Wanted(stems);
            if (size != 0 && stems.Count <= 2 && Sizes.Pick(list, p => p.Name, size) is { } sized)
            {
                used.UnionWith(stems);
                return (new Target.Product(sized.Id), used);
            }

            var scored = pool.Select(p => (Product: p, Matched: stems.Count(s => Mentions(p, [s])))).Where(x => x.Matched > 0).ToList();
            var best = scored.Count == 0 ? 0 : scored.Max(x => x.Matched);
            var full = scored.Where(x => x.Matched == best).Select(x => x.Product).ToList();
            // Every word must be the product's: "el cargador" after a list of phones is another product.
            if (best == stems.Count && full.Count > 0)
            {
                used.UnionWith(stems);
                if (clause.Cheap || clause.Expensive)
                {
                    var byPrice = clause.Cheap ? full.MinBy(p => p.Price)! : full.MaxBy(p => p.Price)!;
                    return (new Target.Product(byPrice.Id), used);
                }

                return full.Count == 1 ? (new Target.Product(full[0].Id), used) : (new Target.Either(full.Select(p => p.Id).ToList()), used);
            }

            // Some words are a session product's and the rest, words the catalog does not have, a question about it ("¿el azul sirve para correr?").
            var unmatched = clause.Content.Where(w => full.Count == 1 && !Mentions(full[0], [w.Stem])).ToList();
            if (best > 0 && full.Count == 1 && !clause.Has(Cue.Want) && best * 2 >= stems.Count && unmatched.All(w => !w.Known && w.Digits is null))
            {
                used.UnionWith(stems.Where(s => Mentions(full[0], [s])));
                return (new Target.Product(full[0].Id), used);
            }

            return (new Target.Named(clause.Query), used);
        }

        if (clause.Cheap || clause.Expensive)
        {
            if (list.Count == 0)
            {
                return (new Target.Nothing(), used);
            }

            var pick = clause.Cheap ? list.MinBy(p => p.Price)! : list.MaxBy(p => p.Price)!;
            return (new Target.Product(pick.Id), used);
        }

        if (preferCart && session.Cart.Count > 0)
        {
            var inCart = session.Focus is { } f && session.Cart.Any(l => l.Product.Id == f.Id) ? f.Id : session.Cart[^1].Product.Id;
            return (new Target.Product(inCart), used);
        }

        return session.Focus is { } focus ? (new Target.Product(focus.Id), used) : (new Target.Nothing(), used);
    }

    /// <summary>The session's products to match words against: the cart first when removing, else what was shown, the cart and the focus.</summary>
    private static List<ProductView> Pool(SessionView session, bool preferCart)
    {
        var pool = new List<ProductView>();
        void Add(ProductView p)
        {
            if (pool.All(x => x.Id != p.Id))
            {
                pool.Add(p);
            }
        }

        if (preferCart)
        {
            session.Cart.Select(l => l.Product).ToList().ForEach(Add);
            return pool;
        }

        session.Shown.ToList().ForEach(Add);
        if (session.Focus is { } focus)
        {
            Add(focus);
        }

        session.Cart.Select(l => l.Product).ToList().ForEach(Add);
        return pool;
    }

    /// <summary>Whether every one of the stems is in the product's own words or its description.</summary>
    public static bool Describes(ProductView product, IEnumerable<string> stems) =>
        stems.All(s => Mentions(product, [s]) || product.DescriptionTerms.Any(t => Synonyms.Same(s, t) || (s.Length >= 4 && Phonetic.Near(s, t))));

    /// <summary>Whether every one of the stems is one of the product's own words (name, category, keywords), a synonym, or sounds like one.</summary>
    public static bool Mentions(ProductView product, IEnumerable<string> stems) =>
        stems.All(s => product.Terms.Any(t => Synonyms.Same(s, t) || (s.Length >= 4 && !s.Any(char.IsDigit) && Phonetic.Near(s, t))));
}
