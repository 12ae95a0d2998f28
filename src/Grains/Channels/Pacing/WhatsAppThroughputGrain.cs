namespace AgenteVendedor.Channels.Pacing;

/// <summary>Slots spaced evenly from the first free one: a number never gets two slots closer than the spacing.</summary>
public sealed class WhatsAppThroughputGrain(PacingOptions options, TimeProvider clock) : Grain, IWhatsAppThroughputGrain
{
    private DateTime _nextFree = DateTime.MinValue;

    public Task<SendSlots> ReserveAsync(int count)
    {
        var granted = Math.Clamp(count, 1, PacingOptions.MaxBatch);
        var now = clock.GetUtcNow().UtcDateTime;
        var first = _nextFree > now ? _nextFree : now;
        _nextFree = first + options.Spacing * granted;
        return Task.FromResult(new SendSlots(first, options.Spacing, granted));
    }
}

/// <summary>A token bucket that may go below zero: a token taken before it is ready is a reservation the caller waits for.</summary>
public sealed class RecipientPacerGrain(PacingOptions options, TimeProvider clock) : Grain, IRecipientPacerGrain
{
    private double _tokens;
    private DateTime? _at;

    public Task<TimeSpan> TakeAsync()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        _tokens = _at is not { } at
            ? options.RecipientBurst
            : Math.Min(options.RecipientBurst, _tokens + (now - at) / options.RecipientRefill);
        _at = now;
        _tokens -= 1;
        return Task.FromResult(_tokens >= 0 ? TimeSpan.Zero : options.RecipientRefill * -_tokens);
    }
}
