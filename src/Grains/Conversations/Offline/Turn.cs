using AgenteVendedor.Catalog;
using AgenteVendedor.Retrieval;
using AgenteVendedor.Sales;
using AgenteVendedor.Text;

namespace AgenteVendedor.Conversations.Offline;

/// <summary>
/// Carries out one message's acts through the sales tools and gathers the answer: each act adds
/// its sentences; the last question asked is the one the reply ends with.
/// </summary>
public sealed class Turn(SalesTools tools, Replies say, AgentSettings settings, CatalogReading reading, FaqIndex? faq, int? pending = null)
{
    private readonly List<string> _said = [];
    private string? _question;
    private IReadOnlyList<Product> _products = [];
    private string _type = ChatTypes.General;
    private Guid? _order;

    /// <summary>The message lists several items: each takes its best match rather than a question per item.</summary>
    public bool ManyItems { get; init; }

    /// <summary>An act ended the turn (an order placed, a hand-off, a question that must be answered first).</summary>
    public bool Stop { get; private set; }

    private bool Inventory => settings.Type == ChatTypes.Inventory;

    public AgentReply Reply(Utterance? message)
    {
        var parts = _said.ToList();
        if (_question is not null)
        {
            parts.Add(_question);
        }

        if (parts.Count == 0)
        {
            parts.Add(say.Unclear(tools.State.Cart.Count > 0));
        }

        return new AgentReply(string.Join("\n", parts), _type, _products, _order);
    }

    private void Say(string text, string type, string? question = null)
    {
        _said.Add(text);
        _type = type;
        _question = question;
    }

    public async Task RunAsync(Act act, Utterance? message)
    {
        switch (act)
        {
            case Act.Chat chat:
                var alone = message is null || message.Clauses.Count <= 1 && _said.Count == 0;
                if (chat.Greeting)
                {
                    _said.Add(say.Hello(alone && !chat.Thanks));
                }
                else if (chat.Thanks)
                {
                    _said.Add(say.YouAreWelcome(alone));
                }
                else if (chat.Farewell)
                {
                    _said.Add(say.Goodbye);
                }

                break;
            case Act.HandOff:
                tools.HandOff();
                Say(say.HandOff, ChatTypes.General);
                Stop = true;
                break;
            case Act.Cancel:
                var had = tools.State.Cart.Count > 0 || tools.State.Awaiting is not null;
                tools.Cancel();
                Say(had ? say.Cancelled : say.NothingToCancel, ChatTypes.Sale);
                break;
            case Act.Checkout:
                await CheckoutAsync();
                break;
            case Act.Confirm:
                await PlaceAsync();
                break;
            case Act.Decline:
                var wasConfirming = tools.State.Awaiting == Awaiting.Confirmation;
                tools.Await(null);
                tools.DropOffer();
                Say(wasConfirming ? say.NotConfirmed : say.Declined, ChatTypes.Sale);
                break;
            case Act.Add add:
                await AddAsync(add.Target, add.Quantity, add.Pair);
                break;
            case Act.AddAvailable all:
                await AddAvailableAsync(all.Target);
                break;
            case Act.SetQuantity set:
                await SetQuantityAsync(set.Target, set.Quantity);
                break;
            case Act.Replace replace:
                await ReplaceAsync(replace.Old, replace.New);
                break;
            case Act.Remove remove:
                await RemoveAsync(remove.Target);
                break;
            case Act.AskPrice price:
                await AboutProductAsync(price.Target, p => say.PriceOf(p));
                break;
            case Act.AskStock stock:
                await AboutProductAsync(stock.Target, p => say.StockOf(p));
                break;
            case Act.Show show:
                await AboutProductAsync(show.Target, p => say.Describe(p));
                break;
            case Act.AskAbout about:
                await AnswerAboutAsync(about);
                break;
            case Act.AskTotal:
                Say(say.Total(await tools.CartAsync()), ChatTypes.Context, tools.State.Cart.Count > 0 ? say.MoreOrClose : null);
                if (tools.State.Cart.Count > 0)
                {
                    tools.Ask(Asked.More);
                }

                break;
            case Act.ShowCart:
                Say(say.CartView(await tools.CartAsync()), ChatTypes.Context);
                break;
            case Act.Search search:
                await SearchAsync(search.Query, search.MaxPrice, search.Cheapest);
                break;
            case Act.Faq question:
                if (question.Entry >= 0 && faq is not null)
                {
                    Say(faq.Entries[question.Entry].Answer, ChatTypes.General, tools.State.Cart.Count > 0 ? say.MoreOrClose : null);
                    if (tools.State.Cart.Count > 0)
                    {
                        tools.Ask(Asked.More);
                    }
                }
                else
                {
                    Say(say.FaqUnknown, ChatTypes.General, null);
                    tools.Ask(Asked.Person);
                }

                break;
            default:
                Say(say.Unclear(tools.State.Cart.Count > 0), ChatTypes.General);
                break;
        }
    }

    private async Task CheckoutAsync()
    {
        var state = tools.State;
        if (state.Cart.Count == 0)
        {
            tools.Await(null);
            Say(say.EmptyCart, ChatTypes.Sale);
            return;
        }

        var missing = tools.MissingCustomerData();
        tools.Await(missing ?? Awaiting.Confirmation);
        Stop = true;
        switch (missing)
        {
            case Awaiting.Name:
                Say(say.AskName, ChatTypes.Sale);
                return;
            case Awaiting.Phone:
                Say(say.AskPhone, ChatTypes.Sale);
                return;
            case Awaiting.Address:
                Say(say.AskAddress, ChatTypes.Sale);
                return;
        }

        Say(say.Summary(await tools.CartAsync(), state.CustomerName, state.CustomerPhone, state.CustomerAddress), ChatTypes.Sale);
    }

    private async Task PlaceAsync()
    {
        Stop = true;
        if (tools.State.Cart.Count == 0)
        {
            tools.Await(null);
            Say(say.EmptyCart, ChatTypes.Sale);
            return;
        }

        var total = (await tools.CartAsync()).Total;
        var placed = await tools.ConfirmOrderAsync();
        if (placed.Value is { } order)
        {
            _order = order.Id;
            var number = order.Id.ToString("N")[^8..].ToUpperInvariant();
            Say(order.Status == OrderStatus.Pending
                ? say.PlacedPending(number, order.Total, tools.State.CustomerPhone)
                : say.Placed(number, order.Total, tools.State.CustomerPhone), ChatTypes.Sale);
            return;
        }

        tools.Await(null);
        if (placed.Problem?.Shortage is { } shortage && await tools.ProductAsync(shortage.ProductId) is { } product)
        {
            tools.RemoveFromCart(product.Id);
            if (shortage.Available > 0)
            {
                tools.Offer(product.Id, shortage.Available);
            }

            _products = [product];
            Say(say.SoldMeanwhile(product, shortage.Available, total), ChatTypes.Sale);
            return;
        }

        Say(say.NotPlaced(placed.Problem?.Message), ChatTypes.Sale);
    }

    /// <summary>The product a target names: a session product, the one search hit that stands out, or a choice to offer.</summary>
    private async Task<Product?> ResolveAsync(Target target, int? quantity)
    {
        switch (target)
        {
            case Target.Product p:
                return await tools.ProductAsync(p.Id) is { Active: true } product ? product : null;
            case Target.Either either:
                OfferChoice(await tools.ActiveProductsAsync(either.Ids), quantity);
                return null;
            case Target.Named named:
                var matches = await tools.MatchAsync(named.Query);
                var ranked = Ranking.Rank(matches, named.Query, reading, null);
                if (Ranking.Single(ranked) is { } single)
                {
                    return single;
                }

                // "el champú head & shoulders grande": the largest of the family that fits the other words.
                var size = Sizes.Wanted(SpanishAnalyzer.Terms(named.Query));
                if (size != 0 && Sizes.Pick(ranked.Where(r => r.Coverage >= ranked[0].Coverage * 0.75).Select(r => r.Product).ToList(), p => p.Name, size) is { } sized)
                {
                    return sized;
                }

                if (ranked.Count > 0 && ManyItems && ranked[0].Coverage >= 0.5)
                {
                    return ranked[0].Product;
                }

                // "el shampoo de avena no sirve…" → "entonces dame el antipulgas": the antipulgas that is a shampoo too.
                if (ranked.Count > 1 && tools.State.Focus is { } focusId && await tools.ProductAsync(focusId) is { } inFocus)
                {
                    var kind = SpanishAnalyzer.Terms(inFocus.Name).Take(1).ToList();
                    var near = ranked.Where(r => r.Coverage >= ranked[0].Coverage - 0.001 && r.Product.Id != inFocus.Id
                        && SpanishAnalyzer.Terms(r.Product.Name).Take(1).SequenceEqual(kind)).ToList();
                    if (near.Count == 1)
                    {
                        return near[0].Product;
                    }
                }

                if (ranked.Count > 0)
                {
                    OfferChoice(ranked.Take(4).Select(r => r.Product).ToList(), quantity);
                    return null;
                }

                ShowNothing(named.Query, matches);
                return null;
            default:
                Say(say.WhichProduct, ChatTypes.Sale);
                return null;
        }
    }

    private void OfferChoice(List<Product> choices, int? quantity)
    {
        tools.Show(choices);
        _products = choices;
        Say(say.Options(choices, null), ChatTypes.Inventory, say.WhichOne);
        tools.Ask(Asked.Which, quantity);
    }

    private void ShowNothing(string query, IReadOnlyList<ProductMatch> matches)
    {
        var closest = Ranking.Closest(matches, null);
        if (closest.Count == 0)
        {
            Say(say.NothingFor(query), ChatTypes.Inventory);
            return;
        }

        tools.Show(closest);
        _products = closest;
        Say(say.Closest(query, closest), ChatTypes.Inventory, say.WhichOne);
        tools.Ask(Asked.Which);
    }

    private async Task AddAsync(Target target, int? said, bool pair = false)
    {
        // Units said before the choice ("quiero 3 celulares" → "el Samsung") count for the chosen one.
        var quantity = said ?? pending;
        if (await ResolveAsync(target, quantity) is not { } product)
        {
            return;
        }

        if (pair && quantity == 2 && Language.Pairs.SoldInPairs(product))
        {
            quantity = 1;
        }

        if (Inventory)
        {
            Show(product, say.Describe(product));
            return;
        }

        await Report(await tools.AddToCartAsync(product.Id, quantity ?? 1), assumed: quantity is null);
    }

    private async Task AddAvailableAsync(Target target)
    {
        if (await ResolveAsync(target, null) is not { } product)
        {
            return;
        }

        if (tools.State.Offer is { } offer && offer.ProductId == product.Id)
        {
            await Report(await tools.AddToCartAsync(product.Id, offer.Quantity), assumed: false);
            return;
        }

        if (product.Stock <= 0)
        {
            Show(product, say.SoldOut(product));
            tools.Ask(Asked.Alternative);
            return;
        }

        await Report(await tools.SetQuantityAsync(product.Id, product.Stock), assumed: false);
    }

    private async Task SetQuantityAsync(Target target, int quantity)
    {
        if (await ResolveAsync(target, quantity) is not { } product)
        {
            return;
        }

        await Report(await tools.SetQuantityAsync(product.Id, quantity), assumed: false, set: true);
    }

    private async Task ReplaceAsync(Target old, Target replacement)
    {
        if (old is not Target.Product gone || await ResolveAsync(replacement, null) is not { } product)
        {
            return;
        }

        var units = tools.State.Cart.FirstOrDefault(c => c.ProductId == gone.Id)?.Quantity ?? 1;
        tools.RemoveFromCart(gone.Id);
        await Report(await tools.AddToCartAsync(product.Id, units), assumed: false);
    }

    private async Task Report(SalesTools.AddResult result, bool assumed, bool set = false)
    {
        switch (result)
        {
            case SalesTools.Added added:
                tools.AssumedOne(assumed ? added.Product.Id : null);
                var cart = await tools.CartAsync();
                var units = tools.State.Cart.First(c => c.ProductId == added.Product.Id).Quantity;
                _products = [added.Product];
                Say(set || units != added.Quantity ? say.Updated(units, added.Product, cart.Total) : say.Added(added.Quantity, added.Product, cart.Total),
                    ChatTypes.Sale, say.MoreOrClose);
                tools.Ask(Asked.More);
                break;
            case SalesTools.NotEnough { Available: 0 } none:
                Show(none.Product, say.SoldOut(none.Product));
                tools.Ask(Asked.Alternative);
                Stop = true;
                break;
            case SalesTools.NotEnough some:
                _products = [some.Product];
                Say(say.OnlySome(some.Product, some.Available), ChatTypes.Sale);
                Stop = true;
                break;
            default:
                Say(say.NotForSale, ChatTypes.Sale);
                break;
        }
    }

    private async Task RemoveAsync(Target target)
    {
        var cart = await tools.CartAsync();
        Guid? id = target switch
        {
            Target.Product p => p.Id,
            Target.Either e => e.Ids.FirstOrDefault(i => cart.Items.Any(l => l.ProductId == i)),
            _ => null,
        };
        if (target is Target.Named named)
        {
            // Words that no line matched whole: the line that has most of them.
            var terms = SpanishAnalyzer.Terms(named.Query);
            var best = 0;
            foreach (var l in cart.Items)
            {
                if (await tools.ProductAsync(l.ProductId) is { } product && terms.Count(t => References.Mentions(ProductView.Of(product), [t])) is var n && n > best)
                {
                    (best, id) = (n, l.ProductId);
                }
            }
        }

        var line = cart.Items.FirstOrDefault(l => l.ProductId == id);
        if (line is null || !tools.RemoveFromCart(line.ProductId))
        {
            Say(say.NotInCart, ChatTypes.Sale);
            return;
        }

        var after = await tools.CartAsync();
        Say(say.Removed(line.Name, after.Total), ChatTypes.Sale, after.Items.Count > 0 ? say.MoreOrClose : null);
        if (after.Items.Count > 0)
        {
            tools.Ask(Asked.More);
        }
    }

    private async Task AboutProductAsync(Target target, Func<Product, string> describe)
    {
        if (target is Target.Either either)
        {
            var choices = await tools.ActiveProductsAsync(either.Ids);
            tools.Show(choices);
            _products = choices;
            Say(string.Join("\n", choices.Select(describe)), ChatTypes.Inventory, say.WhichOne);
            tools.Ask(Asked.Which);
            return;
        }

        if (await ResolveAsync(target, null) is { } product)
        {
            Show(product, describe(product));
        }
    }

    /// <summary>One product shown and in focus; the reply asks how many (or, out of stock, about an alternative).</summary>
    private void Show(Product product, string text)
    {
        tools.FocusOn(product.Id);
        if (!tools.State.Shown.Contains(product.Id))
        {
            tools.Show([product]);
        }

        _products = [product];
        var asks = !Inventory && product.Stock > 0 && tools.State.Cart.All(c => c.ProductId != product.Id);
        Say(text, ChatTypes.Inventory, asks ? say.HowMany : null);
        tools.Ask(asks ? Asked.Add : null);
    }

    private async Task AnswerAboutAsync(Act.AskAbout about)
    {
        if (about.Target is Target.Either either)
        {
            await AboutProductAsync(either, p => say.Describe(p));
            return;
        }

        Product? product;
        var topic = about.Topic;
        if (about.Target is Target.Named named)
        {
            // The question names its product: the best match, and the words that are not its name are the question.
            var ranked = Ranking.Rank(await tools.MatchAsync(named.Query), named.Query, reading, null);
            product = ranked.Count > 0 ? ranked[0].Product : null;
            if (product is null)
            {
                await SearchAsync(named.Query, null, false);
                return;
            }

            var own = ProductView.Of(product);
            topic = topic.Where(t => !References.Mentions(own, [reading.Known.GetValueOrDefault(t, t)])).ToList();
        }
        else if (await ResolveAsync(about.Target, null) is { } resolved)
        {
            product = resolved;
        }
        else
        {
            return;
        }

        tools.FocusOn(product.Id);
        if (!tools.State.Shown.Contains(product.Id))
        {
            tools.Show([product]);
        }

        _products = [product];
        var asks = !Inventory && product.Stock > 0 && tools.State.Cart.All(c => c.ProductId != product.Id);
        var sentences = Sentences(product.Description ?? "").ToList();
        if (topic.Count == 0)
        {
            Say($"{say.Describe(product)}\n{say.FromDescription(product, sentences)}", ChatTypes.Inventory, asks ? say.HowMany : null);
            tools.Ask(asks ? Asked.Add : null);
            return;
        }

        var view = ProductView.Of(product);
        var answering = sentences.Where(s => SpanishAnalyzer.Terms(s) is var terms && topic.Any(t => terms.Any(x => Synonyms.Same(t, x) || Language.Phonetic.Near(t, x)))).ToList();
        if (answering.Count == 0 && topic.All(t => view.Terms.Contains(t)))
        {
            answering = sentences.Take(1).ToList();
        }

        if (answering.Count > 0)
        {
            Say($"{say.FromDescription(product, answering)}\n{say.Describe(product)}", ChatTypes.Inventory, asks ? say.HowMany : null);
            tools.Ask(asks ? Asked.Add : null);
            return;
        }

        Say(say.DescriptionSilent(product), ChatTypes.Inventory);
        tools.Ask(Asked.Person);
    }

    private static IEnumerable<string> Sentences(string text) =>
        text.Split(['.', '!', '?', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(s => s.Length > 0).Select(s => TextFit.Cut(s + ".", 400));

    private async Task SearchAsync(string query, decimal? maxPrice, bool cheapest)
    {
        tools.Searched(query);
        var matches = await tools.MatchAsync(query);
        var ranked = Ranking.Rank(matches, query, reading, maxPrice);
        if (ranked.Count == 0)
        {
            if (maxPrice is not null && Ranking.Rank(matches, query, reading, null).Count > 0)
            {
                Say(say.NothingFor($"{query} hasta {say.Money(maxPrice.Value)}"), ChatTypes.Inventory);
                return;
            }

            ShowNothing(query, matches);
            return;
        }

        // A browse ("¿qué jeans tienen?") shows up to five that fit as well as the best; a precise query, its best three.
        var full = ranked.TakeWhile(r => r.Coverage >= ranked[0].Coverage - 0.001).Count();
        var products = ranked.Take(full > 3 ? Math.Min(full, 5) : 3).Select(r => r.Product).ToList();
        if (cheapest)
        {
            products = [ranked.Where(r => r.Coverage >= ranked[0].Coverage - 0.001).MinBy(r => r.Product.Price)!.Product];
        }

        if (products.Count == 1)
        {
            Show(products[0], say.Options(products, maxPrice));
            return;
        }

        tools.Show(products);
        _products = products;
        Say(say.Options(products, maxPrice), ChatTypes.Inventory, say.WhichOne);
        tools.Ask(Asked.Which);
    }
}
