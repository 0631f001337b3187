package io.sitegate.policy.command;

import io.sitegate.policy.internal.agent.PolicyAgent;

final class Agents {
    private Agents() {
    }

    static PolicyAgent require(PolicyAgent agent) {
        if (agent == null) {
            throw new IllegalStateException("The policy agent is not running: etc/io.sitegate.policy.cfg is missing or was refused "
                    + "(sitegate:status shows why).");
        }
        return agent;
    }
}
