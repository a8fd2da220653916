error('boom');
