using AgenteVendedor.Catalog;

namespace AgenteVendedor.Conversations.Offline;

/// <summary>
/// Carries out one message's acts through the sales tools and gathers the answer: each act adds
/// its sentences; the last question asked is the one the reply ends with. Finding products
/// (<see cref="ProductFinder"/>), questions about them (<see cref="ProductQuestions"/>) and the cart
/// (<see cref="CartActs"/>) are their own objects; the turn dispatches to them and answers chat and FAQ itself.
/// </summary>
public sealed class Turn
{
    private readonly SalesTools _tools;
    private readonly Replies _say;
    private readonly FaqIndex? _faq;
    private readonly TurnAnswer _answer = new();
    private readonly ProductFinder _finder;
    private readonly ProductQuestions _questions;
    private readonly CartActs _cart;

    /// <param name="pending">Units said before a choice was made ("quiero 3 celulares"), for the chosen product.</param>
    /// <param name="manyItems">The message lists several items: each takes its best match rather than a question per item.</param>
    public Turn(SalesTools tools, Replies say, AgentSettings settings, CatalogReading reading, FaqIndex? faq, int? pending = null, bool manyItems = false)
    {
        _tools = tools;
        _say = say;
        _faq = faq;
        _finder = new ProductFinder(tools, say, settings, reading, _answer) { ManyItems = manyItems };
        _questions = new ProductQuestions(tools, say, reading, _finder, _answer);
        _cart = new CartActs(tools, say, _finder, _answer, pending);
    }

    /// <summary>An act ended the turn (an order placed, a hand-off, a question that must be answered first).</summary>
    public bool Stop => _answer.Stop;

    public AgentReply Reply() => _answer.Reply(_say.Unclear(_tools.State.Cart.Count > 0));

    public async Task RunAsync(Act act, Utterance? message)
    {
        switch (act)
        {
            case Act.Chat chat:
                Chat(chat, alone: message is null || message.Clauses.Count <= 1 && _answer.Count == 0);
                break;
            case Act.HandOff:
                _tools.HandOff();
                _answer.Say(_say.HandOff, ChatTypes.General);
                _answer.Stop = true;
                break;
            case Act.Cancel:
                var had = _tools.State.Cart.Count > 0 || _tools.State.Awaiting is not null;
                _tools.Cancel();
                _answer.Say(had ? _say.Cancelled : _say.NothingToCancel, ChatTypes.Sale);
                break;
            case Act.Checkout:
                await _cart.CheckoutAsync();
                break;
            case Act.Confirm:
                await _cart.PlaceAsync();
                break;
            case Act.Decline:
                var wasConfirming = _tools.State.Awaiting == Awaiting.Confirmation;
                _tools.Await(null);
                _tools.DropOffer();
                _answer.Say(wasConfirming ? _say.NotConfirmed : _say.Declined, ChatTypes.Sale);
                break;
            case Act.Add add:
                await _cart.AddAsync(add.Target, add.Quantity, add.Pair);
                break;
            case Act.AddAvailable all:
                await _cart.AddAvailableAsync(all.Target);
                break;
            case Act.SetQuantity set:
                await _cart.SetQuantityAsync(set.Target, set.Quantity);
                break;
            case Act.Replace replace:
                await _cart.ReplaceAsync(replace.Old, replace.New);
                break;
            case Act.Remove remove:
                await _cart.RemoveAsync(remove.Target);
                break;
            case Act.AskPrice price:
                await _questions.AboutAsync(price.Target, p => _say.PriceOf(p));
                break;
            case Act.AskStock stock:
                await _questions.AboutAsync(stock.Target, p => _say.StockOf(p));
                break;
            case Act.Show show:
                await _questions.AboutAsync(show.Target, p => _say.Describe(p));
                break;
            case Act.AskAbout about:
                await _questions.AnswerAsync(about);
                break;
            case Act.AskTotal:
                _answer.Say(_say.Total(await _tools.CartAsync()), ChatTypes.Context, MoreOrClose());
                break;
            case Act.ShowCart:
                _answer.Say(_say.CartView(await _tools.CartAsync()), ChatTypes.Context);
                break;
            case Act.Search search:
                await _finder.SearchAsync(search.Query, search.MaxPrice, search.Cheapest);
                break;
            case Act.Faq question:
                Faq(question.Entry);
                break;
            default:
                _answer.Say(_say.Unclear(_tools.State.Cart.Count > 0), ChatTypes.General);
                break;
        }
    }

    private void Chat(Act.Chat chat, bool alone)
    {
        if (chat.Greeting)
        {
            _answer.Add(_say.Hello(alone && !chat.Thanks));
        }
        else if (chat.Thanks)
        {
            _answer.Add(_say.YouAreWelcome(alone));
        }
        else if (chat.Farewell)
        {
            _answer.Add(_say.Goodbye);
        }
    }

    private void Faq(int entry)
    {
        if (entry >= 0 && _faq is not null)
        {
            _answer.Say(_faq.Entries[entry].Answer, ChatTypes.General, MoreOrClose());
            return;
        }

        _answer.Say(_say.FaqUnknown, ChatTypes.General, null);
        _tools.Ask(Asked.Person);
    }

    /// <summary>With something in the cart the reply asks whether there is more or to close; the session then expects that answer.</summary>
    private string? MoreOrClose()
    {
        if (_tools.State.Cart.Count == 0)
        {
            return null;
        }

        _tools.Ask(Asked.More);
        return _say.MoreOrClose;
    }
}
