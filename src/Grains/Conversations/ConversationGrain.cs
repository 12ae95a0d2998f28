using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AgenteVendedor.Channels;
using AgenteVendedor.Commerce;
using AgenteVendedor.Common;
using AgenteVendedor.Database;
using AgenteVendedor.Security;
using AgenteVendedor.Tenancy;
using AgenteVendedor.Text;
using Microsoft.Extensions.Logging;

namespace AgenteVendedor.Conversations;

public sealed class ConversationGrain(
    [PersistentState("conversacion", StorageNames.Default)] IPersistentState<ConversationState> state,
    AgentDrivers drivers,
    AgentOptions agent,
    ConversationStore transcripts,
    ChannelStore channels,
    ChannelSenders senders,
    Inbound.InboundIntake intake,
    InboxOptions inbox,
    TimeProvider clock,
    CatalogOffers catalogOffers,
    AbandonedCarts abandonedCarts,
    ILogger<ConversationGrain> logger) : Grain, IConversationGrain, IRemindable
{
    private const int KeptTurns = 40;

    // Orders placed by the agent on a platform channel have no user behind them.
    private static readonly Actor AgentActor = new(Guid.Empty, "agente");

    private static readonly TimeSpan RateWindow = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(1);

    // The inbox is answered from a grain timer, so the debounce never blocks tomar, liberar or a human reply.
    private IGrainTimer? _inboxTimer;
    private DateTime? _burstStartedAt;

    // When this chat's recent answers went out (at most CustomerMessagesPerMinute of them), and until when the customer knows they wait.
    private readonly Queue<DateTime> _answeredAt = new();
    private DateTime _limitNoticeUntil;

    private (Guid EmpresaId, string Channel, string Address) Key => ConversationKey.Parse(this.GetPrimaryKeyString());

    public Task<bool> ExistsAsync() => Task.FromResult(state.State.Started);

    public async Task<Outcome<ChatReply>> HandleInboundAsync(ChatTurn turn, CancellationToken cancellationToken = default)
    {
        var outcome = await AnswerAsync(turn, senderName: null, rules: null, cancellationToken);
        if (outcome.Succeeded)
        {
            await state.WriteStateAsync();
        }

        return outcome;
    }

    public Task ProcessInboxAsync()
    {
        // A customer often sends several short messages in a row: each one moves the answer a debounce
        // later, but a burst is never held back more than four debounces.
        var now = clock.GetUtcNow().UtcDateTime;
        _burstStartedAt ??= now;
        var due = Min(inbox.Debounce, _burstStartedAt.Value + 4 * inbox.Debounce - now);
        ArmInbox(due < TimeSpan.Zero ? TimeSpan.Zero : due);
        return Task.CompletedTask;
    }

    private void ArmInbox(TimeSpan due)
    {
        if (_inboxTimer is null)
        {
            _inboxTimer = this.RegisterGrainTimer(AnswerInboxAsync,
                new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { Interleave = false, KeepAlive = true });
        }
        else
        {
            _inboxTimer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task AnswerInboxAsync(CancellationToken cancellationToken)
    {
        _burstStartedAt = null;
        var key = this.GetPrimaryKeyString();
        var now = clock.GetUtcNow().UtcDateTime;
        if (!state.State.Handoff && RateLimitedUntil(now) is { } until)
        {
            if (await transcripts.HasPendingAsync(key))
            {
                await NoticeRateLimitAsync(now, until);
                ArmInbox(until - now);
            }

            return;
        }

        var batch = await transcripts.BeginInboxAttemptAsync(key);
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await AnswerBatchAsync(batch, cancellationToken);
            await transcripts.MarkProcessedAsync(batch);
            if (await transcripts.HasPendingAsync(key))
            {
                // More than one batch was waiting (or more came during the turn): answer the rest next.
                ArmInbox(inbox.Debounce);
            }
        }
        catch (Exception e)
        {
            // Whatever the turn changed in memory is dropped; the rows are tried again, a few times only.
            logger.LogError(e, "Answering inbox attempt {Attempt} of {Conversation} failed", batch[0].Attempts, LogMask.Conversation(key));
            await state.ReadStateAsync();
            if (batch[0].Attempts >= inbox.Attempts)
            {
                await transcripts.DeadLetterAsync(batch, $"{e.GetType().Name}: {e.Message}");
                logger.LogWarning("{Count} inbox message(s) of {Conversation} are dead letters after {Attempts} attempts", batch.Count, LogMask.Conversation(key), batch[0].Attempts);
                if (await transcripts.HasPendingAsync(key))
                {
                    ArmInbox(inbox.Debounce);
                }
            }
            else
            {
                ArmInbox(Min(inbox.Debounce * Math.Pow(2, batch[0].Attempts), MaxRetryDelay));
            }
        }
    }

    private async Task AnswerBatchAsync(IReadOnlyList<ConversationStore.InboxItem> batch, CancellationToken cancellationToken)
    {
        var (empresaId, channel, address) = Key;
        var phone = channel == ChannelKinds.WhatsApp ? "+" + address : null;
        await StartAsync(empresaId, channel, address);
        var record = await channels.FindForTenantAsync(empresaId, channel);
        if (record is not null && !state.State.Handoff && batch.Any(b => Inbound.InboundRules.Answers(b.Kind)))
        {
            // Once per batch, as the agent starts on it: the last message read, with "typing…"; a failure here costs nothing.
            await senders.MarkReadAsync(record, address, batch[^1].MessageId[(batch[^1].MessageId.IndexOf(':') + 1)..], cancellationToken);
        }

        var taken = await intake.TakeAsync(new Inbound.IntakeContext(empresaId, state.State.ConversationId, record, state.State.Handoff,
            phone ?? state.State.CustomerPhone), batch, cancellationToken);
        Announce(taken.Summary);
        state.State.LastInboundAt = clock.GetUtcNow().UtcDateTime;
        if (taken.AgentText.Length > 0)
        {
            await AnswerTextAsync(batch, taken.AgentText, phone, cancellationToken);
        }

        if (taken.Notice is { } notice && !state.State.Handoff)
        {
            // A kind the agent cannot answer yet: said as it is; a voice note or a file then waits for a person.
            state.State.Handoff = taken.HandsOff;
            Record("agente", notice, clock.GetUtcNow().UtcDateTime);
            Announce(await transcripts.AppendAsync(state.State.ConversationId, "agente", notice, state.State.Handoff, null, null));
            _answeredAt.Enqueue(clock.GetUtcNow().UtcDateTime);
            await SendAsync(empresaId, channel, address, new OutgoingMessage(notice), cancellationToken);
        }

        await state.WriteStateAsync();
    }

    private async Task AnswerTextAsync(IReadOnlyList<ConversationStore.InboxItem> batch, string text, string? phone, CancellationToken cancellationToken)
    {
        var (empresaId, channel, address) = Key;
        // The order a turn places is keyed by the inbound messages that confirmed it: a replay of them places nothing new.
        var orderKey = "chat:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join("\n", batch.Select(b => b.Channel + ":" + b.MessageId)))));
        var rules = new ChatOrderRules(orderKey, inbox.MaxUnitsPerChatOrder, () => state.WriteStateAsync());
        var outcome = await AnswerAsync(new ChatTurn(text, AgentActor, CustomerPhone: phone, CustomerName: null),
            batch[^1].SenderName, rules, cancellationToken, CatalogCart.FromBatch(batch.Select(b => (b.Kind, b.Payload))), customerLinesWritten: true);
        var replyText = outcome.Value?.Text
            ?? (outcome.Problem?.Kind == ProblemKind.Unavailable
                ? "Disculpa, en este momento no puedo responderte. Escríbenos de nuevo en unos minutos, por favor."
                : null);
        if (replyText is { Length: > 0 })
        {
            _answeredAt.Enqueue(clock.GetUtcNow().UtcDateTime);
            var profile = outcome.Value is null ? null : await GrainFactory.GetGrain<IEmpresaGrain>(empresaId).GetProfileAsync();
            var message = outcome.Value is { } reply ? Outgoing(reply, profile) : new OutgoingMessage(replyText);
            if (channel == ChannelKinds.WhatsApp && outcome.Value is { } shown)
            {
                message = await catalogOffers.OfferAsync(empresaId, shown.Products, message);
            }

            await SendAsync(empresaId, channel, address, message, cancellationToken);
        }

        // The batch writes the state once, after this and any notice (AnswerBatchAsync).
        await WatchCartAsync();
    }

    // One abandoned-cart reminder per cart: armed when the cart changes, moved on when the customer writes, dropped when it empties (an order placed, a cancel).
    private async Task WatchCartAsync()
    {
        switch (abandonedCarts.Watch(state.State))
        {
            case AbandonedCarts.Change.NewCart or AbandonedCarts.Change.Touched:
                await this.RegisterOrUpdateReminder(AbandonedCarts.ReminderName, abandonedCarts.Options.After, abandonedCarts.Options.Period);
                break;
            case AbandonedCarts.Change.Emptied when await this.GetReminder(AbandonedCarts.ReminderName) is { } reminder:
                await this.UnregisterReminder(reminder);
                break;
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != AbandonedCarts.ReminderName)
        {
            return;
        }

        var (empresaId, channel, address) = Key;
        var profile = await GrainFactory.GetGrain<IEmpresaGrain>(empresaId).GetProfileAsync();
        var tick = profile is null || !state.State.Started
            ? new AbandonedCarts.Tick(true, null)
            : await abandonedCarts.RemindAsync(empresaId, channel, address, state.State,
                await new SalesTools(GrainFactory, empresaId, channel, state.State, AgentActor).CartAsync(), profile);
        if (tick.Said is { } said)
        {
            Record("agente", said, clock.GetUtcNow().UtcDateTime);
            Announce(await transcripts.AppendAsync(state.State.ConversationId, "agente", said, state.State.Handoff, state.State.CustomerName, state.State.CustomerPhone));
        }

        await state.WriteStateAsync();
        if (tick.Done && await this.GetReminder(AbandonedCarts.ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>When the chat may be answered again, if it already had its answers of the last minute.</summary>
    private DateTime? RateLimitedUntil(DateTime now)
    {
        while (_answeredAt.Count > 0 && _answeredAt.Peek() <= now - RateWindow)
        {
            _answeredAt.Dequeue();
        }

        return _answeredAt.Count >= inbox.CustomerMessagesPerMinute ? _answeredAt.Peek() + RateWindow : null;
    }

    // Once per window: the customer hears why the answer waits, and the rest of the wait is quiet.
    private async Task NoticeRateLimitAsync(DateTime now, DateTime until)
    {
        if (now < _limitNoticeUntil || !state.State.Started)
        {
            return;
        }

        _limitNoticeUntil = until;
        const string notice = "Recibí tus mensajes. Para atender bien a todos respondo unos pocos mensajes por minuto: en un momento te contesto.";
        var (empresaId, channel, address) = Key;
        Record("agente", notice, now);
        Announce(await transcripts.AppendAsync(state.State.ConversationId, "agente", notice, state.State.Handoff, null, null));
        await SendAsync(empresaId, channel, address, new OutgoingMessage(notice), CancellationToken.None);
        await state.WriteStateAsync();
    }

    private async Task SendAsync(Guid empresaId, string channel, string address, OutgoingMessage message, CancellationToken cancellationToken)
    {
        if (await channels.FindForTenantAsync(empresaId, channel) is { } record)
        {
            var sent = await senders.SendAsync(record, address, message, cancellationToken);
            await channels.RecordOutboundAsync(state.State.ConversationId, sent.ExternalId, sent.Sent ? "enviado" : "fallido", sent.ErrorCode, sent.ErrorMessage);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    public async Task<Outcome<ConversationDetail>> SetHandoffAsync(Actor actor, bool human)
    {
        if (!state.State.Started)
        {
            return Problem.NotFound("No existe esa conversación en esta empresa.");
        }

        state.State.Handoff = human;
        state.State.Awaiting = null;
        await state.WriteStateAsync();
        Announce(await transcripts.SetStateAsync(state.State.ConversationId, human, Key.EmpresaId, actor));
        return (await GetDetailAsync())!;
    }

    public async Task<Outcome<ConversationDetail>> SendAsHumanAsync(Actor actor, string text)
    {
        if (!state.State.Started)
        {
            return Problem.NotFound("No existe esa conversación en esta empresa.");
        }

        var (empresaId, channel, address) = Key;
        string? externalId = null;
        if (channel != ChannelKinds.Api)
        {
            if (await channels.FindForTenantAsync(empresaId, channel) is not { } record)
            {
                return Problem.Conflict($"El canal {channel} de la empresa ya no está configurado.");
            }

            var sent = await senders.SendAsync(record, address, new OutgoingMessage(text), CancellationToken.None);
            await channels.RecordOutboundAsync(state.State.ConversationId, sent.ExternalId, sent.Sent ? "enviado" : "fallido", sent.ErrorCode, sent.ErrorMessage);
            if (!sent.Sent)
            {
                return new Problem(ProblemKind.Unavailable, $"El canal rechazó el mensaje ({sent.ErrorCode}): {sent.ErrorMessage}");
            }

            externalId = sent.ExternalId;
        }

        Record("humano", text, clock.GetUtcNow().UtcDateTime);
        await state.WriteStateAsync();
        Announce(await transcripts.AppendHumanReplyAsync(state.State.ConversationId, text, state.State.Handoff, empresaId, actor, channel, externalId));
        return (await GetDetailAsync())!;
    }

    public async Task<ConversationDetail?> GetDetailAsync()
    {
        if (!state.State.Started)
        {
            return null;
        }

        var (summary, messages, failed) = await transcripts.DetailAsync(state.State.ConversationId, this.GetPrimaryKeyString());
        var (empresaId, channel, _) = Key;
        var cart = await new SalesTools(GrainFactory, empresaId, channel, state.State, AgentActor).CartAsync();
        return summary is null ? null : new ConversationDetail(summary, messages, cart, state.State.Orders.ToList(), failed);
    }

    private async Task<Outcome<ChatReply>> AnswerAsync(ChatTurn turn, string? senderName, ChatOrderRules? rules, CancellationToken cancellationToken,
        CatalogCart? catalogCart = null, bool customerLinesWritten = false)
    {
        var (empresaId, channel, address) = Key;
        var profile = await GrainFactory.GetGrain<IEmpresaGrain>(empresaId).GetProfileAsync();
        if (profile is null)
        {
            return Problem.NotFound("La empresa no existe.");
        }

        if (drivers.Find(turn.Driver) is not { } driver)
        {
            return Problem.Invalid("llm", $"Proveedor desconocido. Usa uno de: {string.Join(", ", drivers.Names)}.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var session = state.State;
        await StartAsync(empresaId, channel, address);
        session.LastInboundAt = now;
        Record("cliente", turn.Text, now);
        var orderRules = (rules ?? new ChatOrderRules(null, null, null)) with { StartsPending = profile.ChatOrdersPending };
        var tools = new SalesTools(GrainFactory, empresaId, channel, session, turn.Actor, orderRules);
        if (turn.CustomerPhone is not null && session.CustomerPhone is null)
        {
            tools.CaptureCustomer(phone: turn.CustomerPhone);
        }

        if (!customerLinesWritten)
        {
            Announce(await transcripts.AppendAsync(session.ConversationId, "cliente", turn.Text, session.Handoff, senderName, session.CustomerPhone));
        }

        AgentReply reply;
        if (session.Handoff)
        {
            // A person took this chat over: the agent keeps quiet and only records the message.
            reply = new AgentReply(string.Empty, ChatTypes.General, []);
        }
        else
        {
            var settings = new AgentSettings(profile.Name, profile.AgentName, turn.Tone ?? profile.Tone,
                turn.Instructions ?? profile.Instructions, CultureInfo.GetCultureInfo(profile.Culture), profile.Currency, turn.Type, profile.Faq);
            // One bound for the whole turn, tool rounds included; the caller's token ends it too.
            using var turnTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            turnTimeout.CancelAfter(agent.TurnTimeout);
            try
            {
                // A catalog cart and the yes or no to it are answered the same whatever the driver.
                reply = (rules is null ? null : await CatalogOrders.AnswerAsync(tools, settings, catalogCart, turn.Text))
                    ?? await driver.RespondAsync(tools, turn.Text, settings, turnTimeout.Token);
            }
            catch (Exception e) when (e is not OrleansException)
            {
                // An LLM provider that fails or is too slow must not take the conversation down: say so, keep the session.
                if (e is OperationCanceledException && turnTimeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    logger.LogWarning("Agent driver {Driver} ran out of its {Timeout} turn for {Conversation}", driver.Name, agent.TurnTimeout, LogMask.Conversation(this.GetPrimaryKeyString()));
                }
                else
                {
                    logger.LogError(e, "Agent driver {Driver} failed for {Conversation}", driver.Name, LogMask.Conversation(this.GetPrimaryKeyString()));
                }

                await state.WriteStateAsync();
                return new Problem(ProblemKind.Unavailable,
                    $"El asistente ({driver.Name}) no está disponible en este momento. Intenta de nuevo o usa llm=offline.", RetryAfterSeconds: 5);
            }

            Record("agente", reply.Text, clock.GetUtcNow().UtcDateTime);
            Announce(await transcripts.AppendAsync(session.ConversationId, "agente", reply.Text, false, session.CustomerName, session.CustomerPhone));
        }

        var cart = await tools.CartAsync();
        return new ChatReply(reply.Text, turn.Type ?? reply.Type,
            reply.Products.Select(p => new ProductCard(p.Id, p.Sku, p.Name, p.Price, p.Stock, p.ImageUrl)).ToList(),
            cart, session.Awaiting, reply.OrderId);
    }

    private async Task StartAsync(Guid empresaId, string channel, string address)
    {
        var session = state.State;
        if (!session.Started)
        {
            session.Started = true;
            session.StartedAt = clock.GetUtcNow().UtcDateTime;
            var id = channel == ChannelKinds.Api && Guid.TryParseExact(address, "N", out var apiId) ? apiId : Guid.CreateVersion7();
            session.ConversationId = await transcripts.EnsureAsync(id, this.GetPrimaryKeyString(), empresaId, channel, address);
        }
    }

    // Choices as a WhatsApp list, the final confirmation as two buttons, one product with a picture as
    // that image with the text as caption, everything else as text.
    // Prices in the list are written as in the answer's text, in the empresa's culture ($189.900 in es-CO).
    private static OutgoingMessage Outgoing(ChatReply reply, EmpresaProfile? profile) =>
        reply.Awaiting == Conversations.Awaiting.Confirmation
            ? new OutgoingMessage(reply.Text, Buttons: [("si", "Sí, confirmar"), ("no", "No")])
            : reply.Products.Count > 1
                ? new OutgoingMessage(reply.Text, Choices: reply.Products
                    .Select(p => ($"p:{p.Id:N}", p.Name, $"{Money(p.Price, profile)} · {p.Stock} disponibles")).ToList())
                : reply.Products is [{ ImageUrl: { } imageUrl } product]
                    ? new OutgoingMessage(reply.Text, Image: new ProductImage(imageUrl, product.Name))
                    : new OutgoingMessage(reply.Text);

    private static string Money(decimal amount, EmpresaProfile? profile) => profile is null
        ? amount.ToString("N0", CultureInfo.InvariantCulture)
        : new AgentSettings(profile.Name, profile.AgentName, profile.Tone, profile.Instructions, CultureInfo.GetCultureInfo(profile.Culture), profile.Currency, null).Money(amount);

    // Tells the empresa's live listeners what the list now shows; one-way, so the chat never waits for them.
    private void Announce(ConversationSummary? summary)
    {
        if (summary is not null)
        {
            var tenantId = Key.EmpresaId;
            GrainFactory.GetGrain<IConversationEventsGrain>(tenantId).PublishAsync(new ConversationChanged(tenantId, summary)).Ignore();
        }
    }

    private void Record(string role, string text, DateTime at)
    {
        state.State.Turns.Add(new TurnRecord { Role = role, Text = TextFit.Cut(text, ConversationStore.MaxMessageLength), At = at });
        if (state.State.Turns.Count > KeptTurns)
        {
            state.State.Turns.RemoveRange(0, state.State.Turns.Count - KeptTurns);
        }
    }
}
