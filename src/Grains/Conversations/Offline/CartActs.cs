using AgenteVendedor.Catalog;
using AgenteVendedor.Retrieval;
using AgenteVendedor.Sales;

namespace AgenteVendedor.Conversations.Offline;

/// <summary>
/// The acts that change the cart or close the sale — add, set a quantity, take what is left, replace,
/// remove, check out and place the order — and what each says back.
/// </summary>
public sealed class CartActs(SalesTools tools, Replies say, ProductFinder finder, TurnAnswer answer, int? pending)
{
    public async Task AddAsync(Target target, int? said, bool pair = false)
    {
        // Units said before the choice ("quiero 3 celulares" → "el Samsung") count for the chosen one.
        var quantity = said ?? pending;
        if (await finder.ResolveAsync(target, quantity) is not { } product)
        {
            return;
        }

        if (pair && quantity == 2 && Language.Pairs.SoldInPairs(product))
        {
            quantity = 1;
        }

        if (finder.Inventory)
        {
            finder.Show(product, say.Describe(product));
            return;
        }

        await ReportAsync(await tools.AddToCartAsync(product.Id, quantity ?? 1), assumed: quantity is null);
    }

    public async Task AddAvailableAsync(Target target)
    {
        if (await finder.ResolveAsync(target, null) is not { } product)
        {
            return;
        }

        if (tools.State.Offer is { } offer && offer.ProductId == product.Id)
        {
            await ReportAsync(await tools.AddToCartAsync(product.Id, offer.Quantity), assumed: false);
            return;
        }

        if (product.Stock <= 0)
        {
            finder.Show(product, say.SoldOut(product));
            tools.Ask(Asked.Alternative);
            return;
        }

        await ReportAsync(await tools.SetQuantityAsync(product.Id, product.Stock), assumed: false);
    }

    public async Task SetQuantityAsync(Target target, int quantity)
    {
        if (await finder.ResolveAsync(target, quantity) is not { } product)
        {
            return;
        }

        await ReportAsync(await tools.SetQuantityAsync(product.Id, quantity), assumed: false, set: true);
    }

    public async Task ReplaceAsync(Target old, Target replacement)
    {
        if (old is not Target.Product gone || await finder.ResolveAsync(replacement, null) is not { } product)
        {
            return;
        }

        var units = tools.State.Cart.FirstOrDefault(c => c.ProductId == gone.Id)?.Quantity ?? 1;
        tools.RemoveFromCart(gone.Id);
        await ReportAsync(await tools.AddToCartAsync(product.Id, units), assumed: false);
    }

    private async Task ReportAsync(SalesTools.AddResult result, bool assumed, bool set = false)
    {
        switch (result)
        {
            case SalesTools.Added added:
                tools.AssumedOne(assumed ? added.Product.Id : null);
                var cart = await tools.CartAsync();
                var units = tools.State.Cart.First(c => c.ProductId == added.Product.Id).Quantity;
                answer.Products = [added.Product];
                answer.Say(set || units != added.Quantity ? say.Updated(units, added.Product, cart.Total) : say.Added(added.Quantity, added.Product, cart.Total),
                    ChatTypes.Sale, say.MoreOrClose);
                tools.Ask(Asked.More);
                break;
            case SalesTools.NotEnough { Available: 0 } none:
                finder.Show(none.Product, say.SoldOut(none.Product));
                tools.Ask(Asked.Alternative);
                answer.Stop = true;
                break;
            case SalesTools.NotEnough some:
                answer.Products = [some.Product];
                answer.Say(say.OnlySome(some.Product, some.Available), ChatTypes.Sale);
                answer.Stop = true;
                break;
            default:
                answer.Say(say.NotForSale, ChatTypes.Sale);
                break;
        }
    }

    public async Task RemoveAsync(Target target)
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
            answer.Say(say.NotInCart, ChatTypes.Sale);
            return;
        }

        var after = await tools.CartAsync();
        answer.Say(say.Removed(line.Name, after.Total), ChatTypes.Sale, after.Items.Count > 0 ? say.MoreOrClose : null);
        if (after.Items.Count > 0)
        {
            tools.Ask(Asked.More);
        }
    }

    public async Task CheckoutAsync()
    {
        var state = tools.State;
        if (state.Cart.Count == 0)
        {
            tools.Await(null);
            answer.Say(say.EmptyCart, ChatTypes.Sale);
            return;
        }

        var missing = tools.MissingCustomerData();
        tools.Await(missing ?? Awaiting.Confirmation);
        answer.Stop = true;
        switch (missing)
        {
            case Awaiting.Name:
                answer.Say(say.AskName, ChatTypes.Sale);
                return;
            case Awaiting.Phone:
                answer.Say(say.AskPhone, ChatTypes.Sale);
                return;
            case Awaiting.Address:
                answer.Say(say.AskAddress, ChatTypes.Sale);
                return;
        }

        answer.Say(say.Summary(await tools.CartAsync(), state.CustomerName, state.CustomerPhone, state.CustomerAddress), ChatTypes.Sale);
    }

    public async Task PlaceAsync()
    {
        answer.Stop = true;
        if (tools.State.Cart.Count == 0)
        {
            tools.Await(null);
            answer.Say(say.EmptyCart, ChatTypes.Sale);
            return;
        }

        var total = (await tools.CartAsync()).Total;
        var placed = await tools.ConfirmOrderAsync();
        if (placed.Value is { } order)
        {
            answer.Order = order.Id;
            var number = order.Id.ToString("N")[^8..].ToUpperInvariant();
            answer.Say(order.Status == OrderStatus.Pending
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

            answer.Products = [product];
            answer.Say(say.SoldMeanwhile(product, shortage.Available, total), ChatTypes.Sale);
            return;
        }

        answer.Say(say.NotPlaced(placed.Problem?.Message), ChatTypes.Sale);
    }
}
