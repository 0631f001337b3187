package io.sitegate.cellular.internal;

import io.sitegate.cellular.BindingMode;
import io.sitegate.cellular.CellularPolicy;
import io.sitegate.cellular.DataSize;
import io.sitegate.cellular.ModemPolicyStatus;
import io.sitegate.cellular.QuotaUsage;
import io.sitegate.cellular.RadioPolicyStatus;
import io.sitegate.core.HealthState;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The health of the {@code cellular} capability in one line: DOWN with the reason while the configuration
 * is refused or any gate refuses a modem's data session, DEGRADED while the radio policy could not be
 * applied or state is unreadable or unpersisted, else UP with a summary
 * ({@code binding auto (learned), 2 networks allowed, data 1.2/5 GB}). Usage is shown with two
 * significant digits so that the reason, and with it the health event, changes rarely.
 *
 * @param state  the state
 * @param reason the line
 */
record HealthSummary(HealthState state, String reason) {
    private static final String[] UNITS = {"B", "KB", "MB", "GB", "TB", "PB"};

    static HealthSummary of(CellularPolicy policy, Optional<String> refusal, List<ModemPolicyStatus> modems) {
        List<String> down = new ArrayList<>();
        refusal.ifPresent(down::add);
        for (ModemPolicyStatus m : modems) {
            if (!m.decision().allowed()) {
                down.add(m.modem() + ": data refused by " + m.decision().gate() + ": " + m.decision().reason());
            }
        }
        if (!down.isEmpty()) {
            return new HealthSummary(HealthState.DOWN, String.join("; ", down));
        }
        List<String> degraded = new ArrayList<>();
        for (ModemPolicyStatus m : modems) {
            if (m.radio().phase() == RadioPolicyStatus.Phase.FAILED) {
                degraded.add(m.modem() + ": radio policy not applied: " + m.radio().detail());
            }
            m.bindingProblem().ifPresent(p -> degraded.add(m.modem() + ": " + p));
            m.quota().problem().ifPresent(p -> degraded.add(m.modem() + ": " + p));
        }
        String summary = summary(policy, modems);
        return degraded.isEmpty() ? new HealthSummary(HealthState.UP, summary)
                : new HealthSummary(HealthState.DEGRADED, String.join("; ", degraded) + "; " + summary);
    }

    private static String summary(CellularPolicy policy, List<ModemPolicyStatus> modems) {
        List<String> parts = new ArrayList<>();
        parts.add(binding(policy, modems));
        int n = policy.network().allowedPlmns().size();
        parts.add(n == 0 ? "any network" : n + (n == 1 ? " network" : " networks") + " allowed");
        if (modems.isEmpty()) {
            parts.add("no modem");
        }
        for (ModemPolicyStatus m : modems) {
            parts.add((modems.size() > 1 ? m.modem() + " " : "") + "data " + usage(m.quota().data())
                    + m.quota().override().map(o -> o.wholeCycle() ? " (override: no block this cycle)"
                            : " (override +" + DataSize.format(o.extraBytes().getAsLong()) + ")").orElse(""));
        }
        return String.join(", ", parts);
    }

    private static String binding(CellularPolicy policy, List<ModemPolicyStatus> modems) {
        BindingMode mode = policy.binding().mode();
        return switch (mode) {
            case OFF -> "binding off";
            case MANUAL -> "binding manual (" + policy.binding().pairs().size() + " pairs)";
            case AUTO -> {
                List<String> learned = modems.stream().filter(m -> m.learned().isPresent()).map(ModemPolicyStatus::modem).toList();
                if (modems.isEmpty()) {
                    yield "binding auto";
                }
                if (learned.size() == modems.size()) {
                    yield "binding auto (learned)";
                }
                yield learned.isEmpty() ? "binding auto (not yet learned)"
                        : "binding auto (learned on " + String.join(", ", learned) + " only)";
            }
        };
    }

    /** {@code 1.2/5 GB}, or {@code 340 MB, no limit}. */
    static String usage(QuotaUsage data) {
        long scale = data.unlimited() ? data.used() : data.limit();
        int unit = 0;
        while (unit < UNITS.length - 1 && scale >= pow(unit + 1)) {
            unit++;
        }
        String used = short2(data.used(), unit);
        return data.unlimited() ? used + " " + UNITS[unit] + ", no limit" : used + "/" + short2(data.limit(), unit) + " " + UNITS[unit];
    }

    private static long pow(int unit) {
        long v = 1;
        for (int i = 0; i < unit; i++) {
            v *= 1000;
        }
        return v;
    }

    /** Two significant digits below 100, whole numbers above; no trailing zeros. */
    private static String short2(long bytes, int unit) {
        BigDecimal v = BigDecimal.valueOf(bytes).divide(BigDecimal.valueOf(pow(unit)));
        BigDecimal r = v.compareTo(BigDecimal.valueOf(100)) >= 0 ? v.setScale(0, RoundingMode.HALF_UP)
                : v.compareTo(BigDecimal.ONE) < 0 ? v.setScale(1, RoundingMode.HALF_UP)
                : v.round(new MathContext(2, RoundingMode.HALF_UP));
        return r.stripTrailingZeros().toPlainString();
    }
}
